package dev.clawbots.gateway.auth;

import com.nimbusds.jose.Header;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.clawbots.persistence.Revocations;
import dev.clawbots.world.Permission;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Issues and verifies the gateway's tokens: JWTs signed with HS256 and the {@link JwtSecret}, with
 * the claims {@code sub}, {@code kind}, {@code permissions}, {@code iat}, {@code exp} and a random
 * {@code jti} by which a token is revoked. A token is verified without any lookup, so every node
 * accepts every other node's tokens as long as they share the secret. Thread-safe.
 */
public final class Tokens {

  /** The one algorithm tokens are signed with and the only one accepted. */
  public static final JWSAlgorithm ALGORITHM = JWSAlgorithm.HS256;

  /** How long a token is valid when nothing else is configured, as the contract says. */
  public static final Duration DEFAULT_LIFETIME = Duration.ofHours(24);

  /**
   * How far in the future a token's {@code iat} or {@code nbf} may be, for nodes whose clocks
   * differ a little. There is no such leeway on {@code exp}: a revocation is kept only until the
   * token's {@code exp}, and a token must not outlive its revocation on any node.
   */
  public static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

  /** Longer strings are refused unread: ours are a few hundred characters. */
  static final int MAX_TOKEN_LENGTH = 8192;

  private static final String KIND = "kind";
  private static final String PERMISSIONS = "permissions";
  // A spectator's display name; absent from agent tokens.
  private static final String NAME = "name";
  private static final int JTI_BYTES = 16;
  private static final Pattern PRINTABLE_ALG = Pattern.compile("[A-Za-z0-9+_-]{1,16}");

  private final MACSigner signer;
  private final MACVerifier verifier;
  private final Duration lifetime;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  /**
   * @param lifetime from issue to {@code exp}
   * @param clock what "now" is when issuing and verifying
   */
  public Tokens(JwtSecret secret, Duration lifetime, Clock clock) {
    if (lifetime.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException(
          "clawbots.auth.token-lifetime must be at least 1s, not " + lifetime);
    }
    this.lifetime = lifetime;
    this.clock = Objects.requireNonNull(clock, "clock");
    byte[] key = secret.bytes();
    try {
      this.signer = new MACSigner(key);
      this.verifier = new MACVerifier(key);
    } catch (JOSEException e) {
      // JwtSecret already refuses keys too short for HS256, the only reason these fail.
      throw new IllegalArgumentException("the JWT secret cannot sign HS256: " + e.getMessage(), e);
    }
  }

  /** The lifetime of the tokens this issues. */
  public Duration lifetime() {
    return lifetime;
  }

  /**
   * Signs a new token for {@code subject}, valid from now for the configured lifetime.
   *
   * @throws IllegalArgumentException when a spectator token would carry a permission: a spectator
   *     never moves, speaks or emotes
   */
  public IssuedToken issue(TokenKind kind, String subject, Set<Permission> permissions) {
    return issue(kind, subject, permissions, null);
  }

  /** A spectator's token, carrying its display name in the {@code name} claim. */
  public IssuedToken issueSpectator(String subject, String name) {
    return issue(TokenKind.SPECTATOR, subject, Set.of(), name);
  }

  private IssuedToken issue(
      TokenKind kind, String subject, Set<Permission> permissions, String name) {
    if (subject == null || subject.isEmpty()) {
      throw new IllegalArgumentException("a token needs a subject (an agent or spectator id)");
    }
    if (kind == TokenKind.SPECTATOR && !permissions.isEmpty()) {
      throw new IllegalArgumentException(
          "a spectator token carries no permissions, not " + permissions);
    }
    // JWT times are whole seconds: truncate here, so expiresAt is exactly what verify reads back.
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Instant expiresAt = now.plus(lifetime);
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .subject(subject)
            .claim(KIND, kind.wireName())
            .claim(PERMISSIONS, wireNames(permissions))
            .issueTime(Date.from(now))
            .expirationTime(Date.from(expiresAt))
            .jwtID(newJti())
            .claim(NAME, name)
            .build();
    SignedJWT jwt =
        new SignedJWT(new JWSHeader.Builder(ALGORITHM).type(JOSEObjectType.JWT).build(), claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("signing a token failed", e);
    }
    return new IssuedToken(jwt.serialize(), expiresAt);
  }

  /**
   * Checks a token's form, algorithm, signature, claims and times, in that order, and answers its
   * {@link Principal} or why it was refused. Revocation is not checked here: {@link Authenticator}
   * does that, as it needs the {@link Revocations} store.
   */
  public TokenCheck verify(String token) {
    if (token == null || token.isEmpty()) {
      return malformed("the token is empty");
    }
    if (token.length() > MAX_TOKEN_LENGTH) {
      return malformed("the token is too long");
    }
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      return malformed("a token has three parts separated by dots, this one has " + parts.length);
    }
    // The algorithm is checked before anything else, so that "alg": "none" or a public-key
    // algorithm is refused as such whatever the rest of the token looks like.
    Header header;
    try {
      header = Header.parse(new Base64URL(parts[0]));
    } catch (ParseException | RuntimeException e) {
      return malformed("the token's header is not valid JSON in base64url");
    }
    if (!(header instanceof JWSHeader) || !ALGORITHM.equals(header.getAlgorithm())) {
      return new TokenRejected(
          TokenRejected.Fault.WRONG_ALGORITHM,
          "the token is signed with "
              + printable(header)
              + "; this server accepts only "
              + ALGORITHM.getName());
    }
    SignedJWT jwt;
    try {
      jwt = SignedJWT.parse(token);
    } catch (ParseException e) {
      return malformed("the token is not a well-formed JWT");
    }
    try {
      if (!jwt.verify(verifier)) {
        return new TokenRejected(
            TokenRejected.Fault.BAD_SIGNATURE, "the token's signature does not verify");
      }
    } catch (JOSEException | RuntimeException e) {
      return new TokenRejected(
          TokenRejected.Fault.BAD_SIGNATURE, "the token's signature does not verify");
    }
    JWTClaimsSet claims;
    try {
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      return malformed("the token's claims are not a JSON object");
    }
    return principal(claims);
  }

  private TokenCheck principal(JWTClaimsSet claims) {
    String subject = claims.getSubject();
    String jti = claims.getJWTID();
    Date exp = claims.getExpirationTime();
    Optional<TokenKind> kind;
    List<String> permissionNames;
    String displayName;
    try {
      kind = Optional.ofNullable(claims.getStringClaim(KIND)).flatMap(TokenKind::fromWire);
      permissionNames = claims.getStringListClaim(PERMISSIONS);
      displayName = claims.getStringClaim(NAME);
    } catch (ParseException e) {
      return malformed("the token's kind, permissions or name claim has the wrong type");
    }
    if (subject == null || subject.isEmpty()) {
      return malformed("the token has no sub claim");
    }
    if (kind.isEmpty()) {
      return malformed("the token's kind claim is neither agent nor spectator");
    }
    if (jti == null || jti.isEmpty() || jti.length() > Revocations.MAX_JTI_LENGTH) {
      return malformed("the token has no usable jti claim");
    }
    if (exp == null) {
      return malformed("the token has no exp claim");
    }
    Instant now = clock.instant();
    Instant expiresAt = exp.toInstant();
    if (!now.isBefore(expiresAt)) {
      return new TokenRejected(
          TokenRejected.Fault.EXPIRED,
          "the token expired at " + expiresAt + "; get a new one from POST /v1/auth/token");
    }
    Instant latestStart = now.plus(CLOCK_SKEW);
    for (Date start : new Date[] {claims.getNotBeforeTime(), claims.getIssueTime()}) {
      if (start != null && start.toInstant().isAfter(latestStart)) {
        return new TokenRejected(
            TokenRejected.Fault.NOT_YET_VALID,
            "the token is not valid before " + start.toInstant());
      }
    }
    Set<Permission> permissions = EnumSet.noneOf(Permission.class);
    if (kind.get() == TokenKind.AGENT && permissionNames != null) {
      // A name this server does not know grants nothing, rather than refusing the token: a newer
      // node may have issued it during a rolling upgrade.
      for (String name : permissionNames) {
        Permission.fromWire(name).ifPresent(permissions::add);
      }
    }
    return new Principal(
        kind.get(),
        subject,
        permissions,
        jti,
        expiresAt,
        kind.get() == TokenKind.SPECTATOR ? displayName : null);
  }

  private String newJti() {
    byte[] bytes = new byte[JTI_BYTES];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static List<String> wireNames(Set<Permission> permissions) {
    // In the enum's order, so that equal permissions always make equal claims.
    return permissions.stream().sorted().map(Permission::wireName).toList();
  }

  private static String printable(Header header) {
    String alg = header.getAlgorithm() == null ? "" : header.getAlgorithm().getName();
    return PRINTABLE_ALG.matcher(alg).matches() ? alg : "another algorithm";
  }

  private static TokenRejected malformed(String message) {
    return new TokenRejected(TokenRejected.Fault.MALFORMED, message);
  }
}
