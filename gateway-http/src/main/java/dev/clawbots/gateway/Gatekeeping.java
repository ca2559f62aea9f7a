package dev.clawbots.gateway;

import com.typesafe.config.Config;
import dev.clawbots.gateway.auth.ApiKeys;
import dev.clawbots.gateway.auth.AuthSettings;
import dev.clawbots.gateway.auth.Authenticator;
import dev.clawbots.gateway.auth.Tokens;
import java.time.Clock;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.http.javadsl.model.RemoteAddress;

/**
 * Who may come in and how often: tokens and API keys ({@code clawbots.auth}), the checks of a
 * request's token, and the contract's rate limits. Hashing runs on its own small dispatcher,
 * bounded ({@link KeyHashing}).
 */
record Gatekeeping(
    Tokens tokens,
    ApiKeys apiKeys,
    Authenticator authenticator,
    RateLimits limits,
    KeyHashing hashing,
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
        new KeyHashing(
            system
                .dispatchers()
                .lookup(DispatcherSelector.fromConfig("clawbots.hashing-dispatcher")),
            config.getInt("clawbots.auth.api-key-hashing.max-waiting"),
            config.getDuration("clawbots.auth.api-key-hashing.retry-after").toMillis()),
        secret.source());
  }

  /** A client's address as the key of per-address limits. */
  static String address(RemoteAddress ip) {
    return "ip:" + ip.getAddress().map(a -> a.getHostAddress()).orElse("unknown");
  }
}
