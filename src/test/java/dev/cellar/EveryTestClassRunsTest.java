package dev.cellar;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.platform.commons.annotation.Testable;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Every compiled test class with a test in it (JUnit's {@code @Test}, {@code @ParameterizedTest},
 * jqwik's {@code @Property}, {@code @Example}: anything JUnit marks {@link Testable}) is matched
 * by exactly one of the include lists of surefire and failsafe in pom.xml. A class that matches
 * neither compiles, looks like a test, and never runs: the jqwik pipeline properties once sat
 * like that, unnoticed, for the whole life of the project.
 */
class EveryTestClassRunsTest {

    @Test
    void everyClassWithTestsIsIncludedBySurefireOrFailsafeButNotBoth() throws Exception {
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(projectFolder().resolve("pom.xml").toFile());
        Selection unitTests = Selection.ofPlugin(pom, "maven-surefire-plugin");
        Selection integrationTests = Selection.ofPlugin(pom, "maven-failsafe-plugin");

        Map<String, String> problems = new TreeMap<>();
        List<String> withTests = classesWithTests();
        for (String source : withTests) {
            boolean unit = unitTests.runs(source);
            boolean integration = integrationTests.runs(source);
            if (!unit && !integration) {
                problems.put(source, "matches no <include> of surefire " + unitTests.includes() + " or failsafe "
                        + integrationTests.includes() + ": its tests never run; rename it or add an include to pom.xml");
            } else if (unit && integration) {
                problems.put(source, "matches the includes of both surefire and failsafe: it would run twice");
            }
        }

        assertThat(withTests).as("test classes found under target/test-classes").contains(
                "dev/cellar/repo/StreamRoundTripProperties.java", "dev/cellar/storage/LocalStorageContractTest.java");
        assertThat(problems).as("test classes that would not run exactly once").isEmpty();
    }

    @Test
    void selectionFollowsSurefirePatternRules() {
        Selection selection = new Selection(List.of("**/*Test.java", "**/*Properties.java"), List.of("**/*$*"));
        assertThat(selection.runs("FooTest.java")).isTrue();
        assertThat(selection.runs("dev/cellar/repo/StreamRoundTripProperties.java")).isTrue();
        assertThat(selection.runs("dev/cellar/repo/StreamRoundTripChecks.java")).isFalse();
        assertThat(selection.runs("dev/cellar/FooTestHelper.java")).isFalse();
        assertThat(selection.runs("dev/cellar/Outer$InnerTest.java")).isFalse();
    }

    /** The includes and excludes of one test plugin, matched the way surefire matches them. */
    record Selection(List<String> includes, List<String> excludes) {
        /** Surefire and failsafe skip nested classes unless told otherwise; their enclosing class runs them. */
        private static final List<String> DEFAULT_EXCLUDES = List.of("**/*$*");

        static Selection ofPlugin(Document pom, String artifactId) {
            NodeList plugins = pom.getElementsByTagName("plugin");
            for (int i = 0; i < plugins.getLength(); i++) {
                Element plugin = (Element) plugins.item(i);
                if (artifactId.equals(childText(plugin, "artifactId"))) {
                    Element configuration = child(plugin, "configuration");
                    List<String> includes = listed(configuration, "includes", "include");
                    assertThat(includes).as(artifactId + " must list its <includes> in pom.xml; the defaults are what let a class slip")
                            .isNotEmpty();
                    List<String> excludes = listed(configuration, "excludes", "exclude");
                    return new Selection(includes, excludes.isEmpty() ? DEFAULT_EXCLUDES : excludes);
                }
            }
            throw new AssertionError(artifactId + " is not configured in pom.xml");
        }

        boolean runs(String sourcePath) {
            return includes.stream().anyMatch(p -> matches(p, sourcePath)) && excludes.stream().noneMatch(p -> matches(p, sourcePath));
        }

        /** Ant-style: {@code **}{@code /} is any number of folders (none too), {@code *} any name part, {@code ?} one character. */
        private static boolean matches(String pattern, String path) {
            StringBuilder regex = new StringBuilder();
            for (int i = 0; i < pattern.length(); i++) {
                char c = pattern.charAt(i);
                if (pattern.startsWith("**/", i)) {
                    regex.append("(?:.*/)?");
                    i += 2;
                } else if (pattern.startsWith("**", i)) {
                    regex.append(".*");
                    i += 1;
                } else if (c == '*') {
                    regex.append("[^/]*");
                } else if (c == '?') {
                    regex.append("[^/]");
                } else {
                    regex.append(Pattern.quote(String.valueOf(c)));
                }
            }
            return Pattern.matches(regex.toString(), path);
        }

        private static List<String> listed(Element configuration, String listTag, String itemTag) {
            List<String> items = new ArrayList<>();
            Element list = configuration == null ? null : child(configuration, listTag);
            if (list != null) {
                NodeList children = list.getElementsByTagName(itemTag);
                for (int i = 0; i < children.getLength(); i++) {
                    items.add(children.item(i).getTextContent().strip());
                }
            }
            return items;
        }

        private static Element child(Element parent, String tag) {
            for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e && e.getTagName().equals(tag)) {
                    return e;
                }
            }
            return null;
        }

        private static String childText(Element parent, String tag) {
            Element e = child(parent, tag);
            return e == null ? null : e.getTextContent().strip();
        }
    }

    /**
     * The source path ({@code dev/cellar/x/FooTest.java}) of each concrete top-level test class that
     * has, or inherits, a method JUnit would run. Abstract contracts run through their subclasses.
     */
    private static List<String> classesWithTests() throws IOException, URISyntaxException {
        Path classes = Path.of(EveryTestClassRunsTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String relative = classes.relativize(file).toString().replace('\\', '/');
                if (relative.contains("$")) {
                    continue;
                }
                String name = relative.substring(0, relative.length() - ".class".length());
                Class<?> type;
                try {
                    type = Class.forName(name.replace('/', '.'), false, EveryTestClassRunsTest.class.getClassLoader());
                } catch (ClassNotFoundException | LinkageError e) {
                    throw new AssertionError("cannot load test class " + name, e);
                }
                if (!type.isInterface() && !Modifier.isAbstract(type.getModifiers()) && hasTests(type)) {
                    found.add(name + ".java");
                }
            }
        }
        return found;
    }

    private static boolean hasTests(Class<?> type) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Method method : c.getDeclaredMethods()) {
                if (isTest(method)) {
                    return true;
                }
            }
            for (Class<?> contract : c.getInterfaces()) {
                for (Method method : contract.getMethods()) {
                    if (method.isDefault() && isTest(method)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static boolean isTest(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            if (annotation.annotationType().isAnnotationPresent(Testable.class)) {
                return true;
            }
        }
        return false;
    }

    private static Path projectFolder() {
        String basedir = System.getProperty("basedir");
        return basedir != null ? Path.of(basedir) : Path.of("").toAbsolutePath();
    }
}
