package dev.clawbots.gateway;

import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /}: the spectators' web page, one self-contained file ({@code web/index.html}) with no
 * build step. It is not part of the API, so it is served beside {@link ApiRoutes#OPERATIONS}.
 */
final class PageRoute extends AllDirectives {

  Route route() {
    return pathSingleSlash(
        () ->
            get(
                () ->
                    respondWithHeader(
                        org.apache.pekko.http.javadsl.model.headers.RawHeader.create(
                            "Cache-Control", "no-cache"),
                        () -> getFromResource("web/index.html", ContentTypes.TEXT_HTML_UTF8))));
  }
}
