package dev.clawbots.gateway;

import dev.clawbots.gateway.auth.AuthFailure;
import dev.clawbots.gateway.auth.Authenticator;
import dev.clawbots.gateway.auth.Principal;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Routes that need a token: the {@code Authorization: Bearer} header or {@code ?token=}, checked
 * (signature, expiry, revocation) before the inner route sees the {@link Principal}.
 */
abstract class Authenticated extends AllDirectives {

  private final Authenticator authenticator;

  Authenticated(Authenticator authenticator) {
    this.authenticator = authenticator;
  }

  Route withPrincipal(Function<Principal, Route> inner) {
    return optionalHeaderValueByName(
        "Authorization",
        header ->
            parameterOptional(
                "token",
                query ->
                    onSuccess(
                        authenticator.authenticate(header, query),
                        result ->
                            result instanceof Principal p
                                ? inner.apply(p)
                                : complete(refusal((AuthFailure) result)))));
  }

  Authenticator authenticator() {
    return authenticator;
  }

  static HttpResponse refusal(AuthFailure failure) {
    HttpResponse response = ApiError.of(failure.code().wireName(), failure.message()).response();
    return failure.code() == AuthFailure.Code.UNAUTHORIZED
        ? response.addHeader(RawHeader.create("WWW-Authenticate", "Bearer"))
        : response;
  }
}
