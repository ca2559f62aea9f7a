package dev.clawbots.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clawbots.world.ManualClock;
import dev.clawbots.world.Permission;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class AuthenticatorTest {

  final ManualClock clock = new ManualClock(Instant.parse("2030-01-01T12:00:00Z"));
  final Tokens tokens = new Tokens(TokensTest.SECRET, Duration.ofHours(24), clock);
  final InMemoryRevocations revocations = new InMemoryRevocations();
  final Authenticator authenticator = new Authenticator(tokens, revocations);

  final String agentToken = tokens.issue(TokenKind.AGENT, "agent-7", Permission.DEFAULTS).token();
  final String spectatorToken = tokens.issue(TokenKind.SPECTATOR, "spec-1", Set.of()).token();

  @Test
  void aBearerHeaderAuthenticates() {
    Principal p = principal(header("Bearer " + agentToken));
    assertThat(p.subject()).isEqualTo("agent-7");
    assertThat(p.kind()).isEqualTo(TokenKind.AGENT);
  }

  @Test
  void aQueryTokenAuthenticates() {
    Authentication a = join(authenticator.authenticate(Optional.empty(), Optional.of(agentToken)));
    assertThat(a).isInstanceOf(Principal.class);
  }

  @Test
  void theSameTokenInHeaderAndQueryIsAccepted() {
    Authentication a =
        join(
            authenticator.authenticate(
                Optional.of("Bearer " + agentToken), Optional.of(agentToken)));
    assertThat(a).isInstanceOf(Principal.class);
  }

  @Test
  void differentTokensInHeaderAndQueryAreRefused() {
    assertUnauthorized(
        join(
            authenticator.authenticate(
                Optional.of("Bearer " + agentToken), Optional.of(spectatorToken))),
        "different tokens");
  }

  @Test
  void noTokenAtAllIsUnauthorized() {
    assertUnauthorized(
        join(authenticator.authenticate(Optional.empty(), Optional.empty())), "needs a token");
  }

  @Test
  void theBearerSchemeIsCaseInsensitiveAndToleratesExtraSpaces() {
    for (String value :
        new String[] {
          "bearer " + agentToken,
          "BEARER " + agentToken,
          "Bearer   " + agentToken,
          "  Bearer " + agentToken + "  "
        }) {
      assertThat(header(value)).as(value).isInstanceOf(Principal.class);
    }
  }

  @Test
  void headersThatAreNotBearerTokensAreUnauthorized() {
    for (String value :
        new String[] {
          "",
          "Bearer",
          "Bearer ",
          agentToken,
          "Basic " + agentToken,
          "Token " + agentToken,
          "Bearer " + agentToken + " extra",
          "Bearer\t" + agentToken,
          "Bearer: " + agentToken
        }) {
      assertUnauthorized(header(value), "");
    }
  }

  @Test
  void malformedForgedAndExpiredTokensAreUnauthorized() {
    String forged =
        new Tokens(TokensTest.OTHER_SECRET, Duration.ofHours(24), clock)
            .issue(TokenKind.AGENT, "agent-7", Permission.DEFAULTS)
            .token();
    assertUnauthorized(header("Bearer garbage"), "three parts");
    assertUnauthorized(header("Bearer " + forged), "signature");

    clock.advance(Duration.ofHours(24));
    assertUnauthorized(header("Bearer " + agentToken), "expired");
  }

  @Test
  void aRevokedTokenIsUnauthorizedAndOthersAreNot() {
    Principal p = principal(header("Bearer " + agentToken));
    join(authenticator.revoke(p));

    assertThat(revocations.revoked).containsEntry(p.jti(), p.expiresAt());
    assertUnauthorized(header("Bearer " + agentToken), "revoked");
    String fresh = tokens.issue(TokenKind.AGENT, "agent-7", Permission.DEFAULTS).token();
    assertThat(header("Bearer " + fresh)).isInstanceOf(Principal.class);
  }

  @Test
  void aRevocationStoreThatCannotAnswerGivesUnavailableNotAPass() {
    revocations.failing = true;

    Authentication a = header("Bearer " + agentToken);
    assertThat(a).isInstanceOf(AuthFailure.class);
    AuthFailure f = (AuthFailure) a;
    assertThat(f.code()).isEqualTo(AuthFailure.Code.UNAVAILABLE);
    assertThat(f.code().httpStatus()).isEqualTo(503);
  }

  @Test
  void anAgentTokenActsForItsOwnAgent() {
    Principal p = principal(header("Bearer " + agentToken));

    assertThat(Authenticator.requireAgent(p, "agent-7")).isEmpty();
    assertThat(Authenticator.requireAction(p, "agent-7", Permission.MOVE)).isEmpty();
  }

  @Test
  void anAgentTokenCannotActForAnotherAgent() {
    Principal p = principal(header("Bearer " + agentToken));

    assertForbidden(Authenticator.requireAgent(p, "agent-8"), "agent-7");
    assertForbidden(Authenticator.requireAction(p, "agent-8", Permission.SPEAK), "agent-8");
  }

  @Test
  void aMissingPermissionIsForbidden() {
    String mute = tokens.issue(TokenKind.AGENT, "agent-7", Set.of(Permission.MOVE)).token();
    Principal p = principal(header("Bearer " + mute));

    assertThat(Authenticator.requirePermission(p, Permission.MOVE)).isEmpty();
    assertForbidden(Authenticator.requirePermission(p, Permission.SPEAK), "'speak'");
    assertForbidden(Authenticator.requireAction(p, "agent-7", Permission.EMOTE), "'emote'");
  }

  @Test
  void aSpectatorNeverMovesSpeaksOrEmotes() {
    Principal p = principal(header("Bearer " + spectatorToken));

    for (Permission permission : Permission.values()) {
      assertForbidden(Authenticator.requirePermission(p, permission), "spectator");
    }
    assertForbidden(Authenticator.requireAgent(p, "spec-1"), "agent token");
    assertForbidden(Authenticator.requireAction(p, "spec-1", Permission.MOVE), "agent token");
  }

  @Test
  void aSpectatorPrincipalCarryingPermissionsStillMayNotUseThem() {
    Principal p =
        new Principal(
            TokenKind.SPECTATOR,
            "spec-1",
            Permission.DEFAULTS,
            "jti-1",
            Instant.parse("2030-01-02T12:00:00Z"));

    assertThat(p.may(Permission.MOVE)).isFalse();
    assertForbidden(Authenticator.requirePermission(p, Permission.SPEAK), "spectator");
  }

  @Test
  void theWrongKindIsForbidden() {
    Principal agent = principal(header("Bearer " + agentToken));
    Principal spectator = principal(header("Bearer " + spectatorToken));

    assertThat(Authenticator.requireKind(spectator, TokenKind.SPECTATOR)).isEmpty();
    assertForbidden(Authenticator.requireKind(agent, TokenKind.SPECTATOR), "spectator token");
    assertForbidden(Authenticator.requireKind(spectator, TokenKind.AGENT), "agent token");
  }

  @Test
  void theCodesAreTheContracts() {
    assertThat(AuthFailure.Code.UNAUTHORIZED.wireName()).isEqualTo("unauthorized");
    assertThat(AuthFailure.Code.UNAUTHORIZED.httpStatus()).isEqualTo(401);
    assertThat(AuthFailure.Code.FORBIDDEN.wireName()).isEqualTo("forbidden");
    assertThat(AuthFailure.Code.FORBIDDEN.httpStatus()).isEqualTo(403);
    assertThat(AuthFailure.Code.UNAVAILABLE.wireName()).isEqualTo("unavailable");
  }

  private Authentication header(String value) {
    return join(authenticator.authenticate(Optional.of(value), Optional.empty()));
  }

  private static Principal principal(Authentication a) {
    assertThat(a).isInstanceOf(Principal.class);
    return (Principal) a;
  }

  private static void assertUnauthorized(Authentication a, String messagePart) {
    assertThat(a).isInstanceOf(AuthFailure.class);
    AuthFailure f = (AuthFailure) a;
    assertThat(f.code()).isEqualTo(AuthFailure.Code.UNAUTHORIZED);
    assertThat(f.message()).contains(messagePart);
  }

  private static void assertForbidden(Optional<AuthFailure> refusal, String messagePart) {
    assertThat(refusal).isPresent();
    assertThat(refusal.get().code()).isEqualTo(AuthFailure.Code.FORBIDDEN);
    assertThat(refusal.get().message()).contains(messagePart);
  }

  private static <T> T join(CompletionStage<T> stage) {
    return stage.toCompletableFuture().join();
  }
}
