package dev.clawbots.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.clawbots.world.ManualClock;
import dev.clawbots.world.Permission;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokensTest {

  static final JwtSecret SECRET =
      JwtSecret.configured("a-test-secret-that-is-long-enough-0123456789");
  static final JwtSecret OTHER_SECRET =
      JwtSecret.configured("another-secret-that-is-long-enough-9876543210");
  static final Instant START = Instant.parse("2030-01-01T12:00:00.250Z");

  final ManualClock clock = new ManualClock(START);
  final Tokens tokens = new Tokens(SECRET, Duration.ofHours(24), clock);

  @Test
  void anAgentTokenRoundTripsWithItsClaims() {
    IssuedToken issued = tokens.issue(TokenKind.AGENT, "agent-7", Permission.DEFAULTS);

    assertThat(issued.expiresAt()).isEqualTo(Instant.parse("2030-01-02T12:00:00Z"));
    TokenCheck check = tokens.verify(issued.token());
    assertThat(check).isInstanceOf(Principal.class);
    Principal p = (Principal) check;
    assertThat(p.kind()).isEqualTo(TokenKind.AGENT);
    assertThat(p.subject()).isEqualTo("agent-7");
    assertThat(p.permissions()).containsExactlyInAnyOrder(Permission.values());
    assertThat(p.expiresAt()).isEqualTo(issued.expiresAt());
    assertThat(p.jti()).hasSizeBetween(16, 64);
  }

  @Test
  void theClaimsOnTheWireAreTheContracts() throws Exception {
    IssuedToken issued = tokens.issue(TokenKind.AGENT, "agent-7", Set.of(Permission.SPEAK));

    SignedJWT jwt = SignedJWT.parse(issued.token());
    assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.HS256);
    JWTClaimsSet claims = jwt.getJWTClaimsSet();
    assertThat(claims.getSubject()).isEqualTo("agent-7");
    assertThat(claims.getStringClaim("kind")).isEqualTo("agent");
    assertThat(claims.getStringListClaim("permissions")).containsExactly("speak");
    assertThat(claims.getIssueTime().toInstant()).isEqualTo(Instant.parse("2030-01-01T12:00:00Z"));
    assertThat(claims.getExpirationTime().toInstant())
        .isEqualTo(Instant.parse("2030-01-02T12:00:00Z"));
    assertThat(claims.getJWTID()).isNotBlank();
  }

  @Test
  void aSpectatorTokenRoundTripsWithNoPermissions() {
    IssuedToken issued = tokens.issue(TokenKind.SPECTATOR, "spec-1", Set.of());

    Principal p = (Principal) tokens.verify(issued.token());
    assertThat(p.kind()).isEqualTo(TokenKind.SPECTATOR);
    assertThat(p.subject()).isEqualTo("spec-1");
    assertThat(p.permissions()).isEmpty();
  }

  @Test
  void aSpectatorTokenIsNeverIssuedWithPermissions() {
    assertThatThrownBy(() -> tokens.issue(TokenKind.SPECTATOR, "spec-1", Set.of(Permission.MOVE)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void everyTokenHasItsOwnJti() {
    Principal a = (Principal) tokens.verify(tokens.issue(TokenKind.AGENT, "a", Set.of()).token());
    Principal b = (Principal) tokens.verify(tokens.issue(TokenKind.AGENT, "a", Set.of()).token());
    assertThat(a.jti()).isNotEqualTo(b.jti());
  }

  @Test
  void theLifetimeIsConfigurable() {
    Tokens hourly = new Tokens(SECRET, Duration.ofHours(1), clock);
    assertThat(hourly.issue(TokenKind.AGENT, "a", Set.of()).expiresAt())
        .isEqualTo(Instant.parse("2030-01-01T13:00:00Z"));
  }

  @Test
  void aTokenSignedWithAnotherSecretIsForged() {
    Tokens elsewhere = new Tokens(OTHER_SECRET, Duration.ofHours(24), clock);
    String forged = elsewhere.issue(TokenKind.AGENT, "agent-7", Permission.DEFAULTS).token();

    assertThat(fault(tokens.verify(forged))).isEqualTo(TokenRejected.Fault.BAD_SIGNATURE);
  }

  @Test
  void aTamperedPayloadBreaksTheSignature() {
    String[] parts = tokens.issue(TokenKind.AGENT, "agent-7", Set.of()).token().split("\\.");
    String payload =
        b64(
            "{\"sub\":\"agent-8\",\"kind\":\"agent\",\"permissions\":[\"move\"],"
                + "\"iat\":1893499200,\"exp\":1893585600,\"jti\":\"x\"}");

    String tampered = parts[0] + "." + payload + "." + parts[2];
    assertThat(fault(tokens.verify(tampered))).isEqualTo(TokenRejected.Fault.BAD_SIGNATURE);
  }

  @Test
  void anAlgNoneTokenIsRefused() {
    String payload = validPayload();
    String none = b64("{\"alg\":\"none\"}") + "." + payload + ".";
    String noneWithJunkSignature =
        b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + payload + ".AAAA";

    TokenCheck check = tokens.verify(none);
    assertThat(fault(check)).isEqualTo(TokenRejected.Fault.WRONG_ALGORITHM);
    assertThat(((TokenRejected) check).message()).contains("none").contains("HS256");
    assertThat(fault(tokens.verify(noneWithJunkSignature)))
        .isEqualTo(TokenRejected.Fault.WRONG_ALGORITHM);
  }

  @Test
  void anHsTokenWhoseHeaderNamesAnotherAlgorithmIsRefused() {
    String[] parts = tokens.issue(TokenKind.AGENT, "agent-7", Set.of()).token().split("\\.");

    for (String alg : List.of("HS512", "HS384", "RS256", "ES256", "hs256")) {
      String swapped =
          b64("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}") + "." + parts[1] + "." + parts[2];
      assertThat(fault(tokens.verify(swapped)))
          .as(alg)
          .isEqualTo(TokenRejected.Fault.WRONG_ALGORITHM);
    }
  }

  @Test
  void aTokenProperlySignedWithHs512AndTheSameSecretIsStillRefused() throws Exception {
    // HS512 needs a 64-byte key.
    JwtSecret longSecret = JwtSecret.configured("k".repeat(64));
    Tokens hs256 = new Tokens(longSecret, Duration.ofHours(24), clock);
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.HS512).type(JOSEObjectType.JWT).build(),
            claims("agent-7", START.plusSeconds(3600)));
    jwt.sign(new MACSigner(longSecret.bytes()));

    assertThat(fault(hs256.verify(jwt.serialize()))).isEqualTo(TokenRejected.Fault.WRONG_ALGORITHM);
  }

  @Test
  void aTokenIsValidUntilItsExpiryAndNotAfter() {
    String token = tokens.issue(TokenKind.AGENT, "agent-7", Set.of()).token();

    clock.set(Instant.parse("2030-01-02T11:59:59.999Z"));
    assertThat(tokens.verify(token)).isInstanceOf(Principal.class);

    clock.set(Instant.parse("2030-01-02T12:00:00Z"));
    TokenCheck check = tokens.verify(token);
    assertThat(fault(check)).isEqualTo(TokenRejected.Fault.EXPIRED);
    assertThat(((TokenRejected) check).message()).contains("2030-01-02T12:00:00Z");
  }

  @Test
  void aTokenIssuedInTheFutureIsNotYetValidBeyondTheClockSkew() {
    Tokens ahead =
        new Tokens(SECRET, Duration.ofHours(24), new ManualClock(START.plusSeconds(600)));
    Tokens slightlyAhead =
        new Tokens(SECRET, Duration.ofHours(24), new ManualClock(START.plusSeconds(30)));

    assertThat(fault(tokens.verify(ahead.issue(TokenKind.AGENT, "a", Set.of()).token())))
        .isEqualTo(TokenRejected.Fault.NOT_YET_VALID);
    assertThat(tokens.verify(slightlyAhead.issue(TokenKind.AGENT, "a", Set.of()).token()))
        .isInstanceOf(Principal.class);
  }

  @Test
  void aNotBeforeInTheFutureIsNotYetValid() throws Exception {
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder(claims("agent-7", START.plusSeconds(7200)))
            .notBeforeTime(Date.from(START.plusSeconds(3600)))
            .build();

    assertThat(fault(tokens.verify(sign(claims)))).isEqualTo(TokenRejected.Fault.NOT_YET_VALID);
  }

  @Test
  void malformedStringsAreMalformed() {
    String valid = tokens.issue(TokenKind.AGENT, "agent-7", Set.of()).token();
    String[] parts = valid.split("\\.");
    List<String> malformed =
        List.of(
            "",
            "garbage",
            "not a token at all",
            parts[0] + "." + parts[1],
            valid + ".extra.parts",
            "!!!." + parts[1] + "." + parts[2],
            b64("not json") + "." + parts[1] + "." + parts[2],
            b64("{\"typ\":\"JWT\"}") + "." + parts[1] + "." + parts[2],
            "a".repeat(10_000));

    for (String s : malformed) {
      assertThat(fault(tokens.verify(s))).as("%.40s", s).isEqualTo(TokenRejected.Fault.MALFORMED);
    }
    assertThat(fault(tokens.verify(null))).isEqualTo(TokenRejected.Fault.MALFORMED);
  }

  @Test
  void aCorrectlySignedTokenWithoutOurClaimsIsMalformed() throws Exception {
    JWTClaimsSet base = claims("agent-7", START.plusSeconds(3600));
    List<JWTClaimsSet> incomplete =
        List.of(
            new JWTClaimsSet.Builder(base).subject(null).build(),
            new JWTClaimsSet.Builder(base).claim("kind", "admin").build(),
            new JWTClaimsSet.Builder(base).claim("kind", null).build(),
            new JWTClaimsSet.Builder(base).claim("permissions", "move").build(),
            new JWTClaimsSet.Builder(base).jwtID(null).build(),
            new JWTClaimsSet.Builder(base).jwtID("j".repeat(65)).build(),
            new JWTClaimsSet.Builder(base).expirationTime(null).build());

    for (JWTClaimsSet claims : incomplete) {
      assertThat(fault(tokens.verify(sign(claims))))
          .as(claims.toString())
          .isEqualTo(TokenRejected.Fault.MALFORMED);
    }
  }

  @Test
  void unknownPermissionsGrantNothingAndDoNotRefuseTheToken() throws Exception {
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder(claims("agent-7", START.plusSeconds(3600)))
            .claim("permissions", List.of("move", "fly"))
            .build();

    Principal p = (Principal) tokens.verify(sign(claims));
    assertThat(p.permissions()).containsExactly(Permission.MOVE);
  }

  @Test
  void aSpectatorTokenCarryingPermissionsGetsNone() throws Exception {
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder(claims("spec-1", START.plusSeconds(3600)))
            .claim("kind", "spectator")
            .build();

    Principal p = (Principal) tokens.verify(sign(claims));
    assertThat(p.kind()).isEqualTo(TokenKind.SPECTATOR);
    assertThat(p.permissions()).isEmpty();
    assertThat(p.may(Permission.MOVE)).isFalse();
  }

  @Test
  void aLifetimeUnderASecondIsRefused() {
    assertThatThrownBy(() -> new Tokens(SECRET, Duration.ZERO, clock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("token-lifetime");
  }

  static TokenRejected.Fault fault(TokenCheck check) {
    assertThat(check).isInstanceOf(TokenRejected.class);
    return ((TokenRejected) check).fault();
  }

  static String b64(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  /** The claims of a valid agent token with every permission, as a JSON payload. */
  static String validPayload() {
    return b64(claims("agent-7", START.plusSeconds(3600)).toString());
  }

  static JWTClaimsSet claims(String subject, Instant exp) {
    return new JWTClaimsSet.Builder()
        .subject(subject)
        .claim("kind", "agent")
        .claim("permissions", List.of("move", "speak", "emote"))
        .issueTime(Date.from(START))
        .expirationTime(Date.from(exp))
        .jwtID("jti-" + subject)
        .build();
  }

  static String sign(JWTClaimsSet claims) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).build(), claims);
    jwt.sign(new MACSigner(SECRET.bytes()));
    return jwt.serialize();
  }
}
