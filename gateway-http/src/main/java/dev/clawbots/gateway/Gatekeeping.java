package dev.clawbots.gateway;

import com.typesafe.config.Config;
import dev.clawbots.gateway.auth.ApiKeys;
import dev.clawbots.gateway.auth.AuthSettings;
import dev.clawbots.gateway.auth.Authenticator;
import dev.clawbots.gateway.auth.Tokens;
import java.time.Clock;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.http.javadsl.model.RemoteAddress;

/**
 * Who may come in and how often: tokens and API keys ({@code clawbots.auth}), the checks of a
 * request's token, and the contract's rate limits. Hashing runs on its own small dispatcher.
 */
record Gatekeeping(
    Tokens tokens,
    ApiKeys apiKeys,
    Authenticator authenticator,
    RateLimits limits,
    Executor hashing,
    String secretSource) {

  static Gatekeeping start(ActorSystem<?> system, Config config, Services services) {
    AuthSettings settings = AuthSettings.from(config);
    var secret = settings.loadSecret();
    Tokens tokens = new Tokens(secret, settings.tokenLifetime(), Clock.systemUTC());
    return new Gatekeeping(
        tokens,
        new ApiKeys(settings.apiKeyHashing()),
        new Authenticator(tokens, services.revocations()),
        RateLimits.from(config, services.rateLimiter()),
        system.dispatchers().lookup(DispatcherSelector.fromConfig("clawbots.hashing-dispatcher")),
        secret.source());
  }

  /** A client's address as the key of per-address limits. */
  static String address(RemoteAddress ip) {
    return "ip:" + ip.getAddress().map(a -> a.getHostAddress()).orElse("unknown");
  }
}
