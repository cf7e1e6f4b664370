package io.cockpitwsjava.ship;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;

/** The project's Helm chart rendered by the embedded Helm (helm-java), as parsed Kubernetes objects. */
final class RenderedChart {
    static final Path CHART = Path.of("helm/cockpit-ws-java");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    final String yaml;
    final List<ObjectNode> objects;

    private RenderedChart(String yaml, List<ObjectNode> objects) {
        this.yaml = yaml;
        this.objects = objects;
    }

    /** {@code helm template <release> helm/cockpit-ws-java --set k=v ...}. */
    static RenderedChart render(String release, Map<String, Object> values) {
        TemplateCommand t = new Helm(CHART).template().withName(release);
        values.forEach(t::set);
        return parse(t.call());
    }

    static RenderedChart parse(String yaml) {
        List<ObjectNode> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (it.hasNext()) {
                JsonNode n = it.next();
                if (n instanceof ObjectNode o && o.has("kind")) {
                    objects.add(o);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new RenderedChart(yaml, objects);
    }

    List<ObjectNode> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
    }

    Optional<ObjectNode> single(String kind) {
        List<ObjectNode> l = ofKind(kind);
        if (l.size() > 1) {
            throw new AssertionError("more than one " + kind + " rendered");
        }
        return l.stream().findFirst();
    }

    ObjectNode deployment() {
        return single("Deployment").orElseThrow(() -> new AssertionError("no Deployment rendered:\n" + yaml));
    }

    /** The gateway container of the Deployment. */
    JsonNode gateway() {
        for (JsonNode c : deployment().path("spec").path("template").path("spec").path("containers")) {
            if ("gateway".equals(c.path("name").asText())) {
                return c;
            }
        }
        throw new AssertionError("no gateway container:\n" + yaml);
    }

    /** The value of an env var of the gateway container, if set. */
    Optional<String> env(String name) {
        for (JsonNode e : gateway().path("env")) {
            if (name.equals(e.path("name").asText())) {
                return Optional.of(e.path("value").asText());
            }
        }
        return Optional.empty();
    }

    /** Multi-document YAML of the given objects. */
    static String toYaml(List<? extends JsonNode> objects) {
        StringBuilder b = new StringBuilder();
        for (JsonNode o : objects) {
            try {
                b.append("---\n").append(YAML.writeValueAsString(o));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return b.toString();
    }
}
