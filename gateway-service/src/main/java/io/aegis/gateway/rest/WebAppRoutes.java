package io.aegis.gateway.rest;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

/**
 * The web app's own addresses: a job ({@code /jobs/<id>}) and the history ({@code /history?…}) are
 * pages of the app, so a link to one can be shared, bookmarked and reloaded. A browser asking for a
 * page there ({@code Accept: text/html}) gets the app's {@code index.html}, which reads the address
 * and shows what it names (an unknown or foreign job included, as a page). Anything else asking there
 * (a script wanting JSON) is not answered here and gets the router's 404; {@code /api/...} is never
 * touched. The page is revalidated on every load ({@code no-cache}), as {@code /} is, so a new
 * release is picked up at once; the Content-Security-Policy filter covers it like any other answer.
 */
@ApplicationScoped
public class WebAppRoutes {

    /** The app's paths that are pages, as Vert.x route patterns. */
    static final List<String> PAGES = List.of("/jobs/:id", "/history");

    private static final String INDEX = "META-INF/resources/index.html";

    private final Buffer index = Buffer.buffer(read());

    void register(@Observes Router router) {
        for (String page : PAGES) {
            router.get(page).handler(this::page);
        }
    }

    private void page(RoutingContext context) {
        if (!wantsPage(context.request().getHeader("Accept"))) {
            context.next();
            return;
        }
        context.response().putHeader("Content-Type", "text/html; charset=utf-8")
                .putHeader("Cache-Control", "no-cache")
                .end(index);
    }

    /** Whether an {@code Accept} header asks for a page, as a browser's navigation does. */
    static boolean wantsPage(String accept) {
        return accept != null && accept.toLowerCase(Locale.ROOT).contains("text/html");
    }

    private static byte[] read() {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(INDEX)) {
            if (in == null) {
                throw new IllegalStateException(INDEX + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
