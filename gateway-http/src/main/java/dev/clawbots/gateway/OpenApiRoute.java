package dev.clawbots.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /v1/openapi.yaml}: the REST API's OpenAPI document, the {@code openapi.yaml} resource
 * as it is, so that a client author can fetch the description of the very server they talk to.
 * {@code OpenApiDocumentTest} keeps the document and the routes in step.
 */
final class OpenApiRoute extends AllDirectives {

  static final String RESOURCE = "openapi.yaml";

  /** {@code application/yaml} (RFC 9512), in UTF-8. */
  static final ContentType.WithCharset YAML =
      MediaTypes.applicationWithOpenCharset("yaml", "yaml", "yml")
          .toContentType(HttpCharsets.UTF_8);

  private final byte[] document;

  OpenApiRoute() {
    this.document = load();
  }

  Route route() {
    return path("openapi.yaml", () -> get(() -> complete(HttpEntities.create(YAML, document))));
  }

  /** Read once at start: a server built without its document fails at once, not on a request. */
  private static byte[] load() {
    try (InputStream in = OpenApiRoute.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the resource " + RESOURCE + " is missing");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the resource " + RESOURCE, e);
    }
  }
}
