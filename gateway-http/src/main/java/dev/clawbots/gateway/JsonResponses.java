package dev.clawbots.gateway;

import dev.clawbots.region.WireJson;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/** Contract JSON ({@link WireJson}: snake_case, ISO times, absent fields left out) as responses. */
final class JsonResponses {

  private JsonResponses() {}

  static HttpResponse ok(Object body) {
    return of(StatusCodes.OK, body);
  }

  static HttpResponse of(StatusCode status, Object body) {
    return HttpResponse.create()
        .withStatus(status)
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, WireJson.write(body)));
  }
}
