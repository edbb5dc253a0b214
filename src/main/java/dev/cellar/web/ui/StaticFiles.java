package dev.cellar.web.ui;

import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * Serves the WebJars' files under {@code /webjars/...} and the dashboard's own two under {@code /static/...}
 * from the class path. Done here because a route group cannot switch on Javalin's static-file handling.
 */
final class StaticFiles {
    private static final Map<String, String> TYPES = Map.of("js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8",
            "map", "application/json", "svg", "image/svg+xml", "woff2", "font/woff2");

    private StaticFiles() {
    }

    /** @param root the class-path folder, e.g. {@code META-INF/resources/webjars/} */
    static void serve(Context ctx, String root, String path, boolean versioned) throws IOException {
        String extension = path.substring(path.lastIndexOf('.') + 1);
        // no climbing out of the folder, and only the kinds of file a page loads
        if (path.contains("..") || path.startsWith("/") || path.contains("\\") || !TYPES.containsKey(extension)) {
            throw new NotFoundResponse();
        }
        InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream(root + path);
        if (in == null) {
            throw new NotFoundResponse();
        }
        try (in) {
            ctx.contentType(TYPES.get(extension));
            // a WebJar's path carries its version, so it may be kept; the dashboard's own files change with Cellar
            ctx.header("Cache-Control", versioned ? "public, max-age=604800, immutable" : "no-cache");
            ctx.result(in.readAllBytes());
        }
    }
}
