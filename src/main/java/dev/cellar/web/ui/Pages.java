package dev.cellar.web.ui;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dashboard's templates, from {@code web/} on the class path, compiled once. jmustache escapes every
 * {@code {{value}}} as HTML; the only unescaped output is the JSON of chart options ({@link Json#forScript}).
 */
final class Pages {
    private static final String FOLDER = "web/";
    private final Mustache.Compiler compiler = Mustache.compiler().defaultValue("").emptyStringIsFalse(true).withLoader(Pages::reader);
    private final Map<String, Template> compiled = new ConcurrentHashMap<>();

    String render(String page, Map<String, Object> model) {
        return compiled.computeIfAbsent(page, name -> compiler.compile(reader(name))).execute(model);
    }

    private static Reader reader(String name) {
        InputStream in = Pages.class.getClassLoader().getResourceAsStream(FOLDER + name + ".mustache");
        if (in == null) {
            throw new UncheckedIOException(new IOException("no template " + FOLDER + name + ".mustache on the class path"));
        }
        return new InputStreamReader(in, StandardCharsets.UTF_8);
    }
}
