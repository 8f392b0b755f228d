package io.tenantbackup.ops;

import io.tenantbackup.testing.ManagementInterface;

import java.net.URL;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/** One scrape of /q/metrics in Prometheus text format, read as a monitoring system would. */
final class PrometheusScrape {

    private final List<String> samples;

    private PrometheusScrape(String text) {
        this.samples = Arrays.stream(text.split("\n")).filter(line -> !line.startsWith("#")).toList();
    }

    static PrometheusScrape now(URL management) {
        return new PrometheusScrape(ManagementInterface.given(management).accept("text/plain").get("/q/metrics").then().statusCode(200)
                .contentType(org.hamcrest.Matchers.startsWith("text/plain")).extract().asString());
    }

    /** The value of the sample named {@code name} whose label set contains every {@code label="value"} given. */
    OptionalDouble value(String name, String... labels) {
        Optional<String> line = samples.stream()
                .filter(sample -> sample.startsWith(name + "{") || sample.startsWith(name + " "))
                .filter(sample -> Arrays.stream(labels).allMatch(label -> labelsOf(sample).contains(label)))
                .findFirst();
        return line.map(sample -> OptionalDouble.of(Double.parseDouble(sample.substring(sample.lastIndexOf(' ') + 1))))
                .orElse(OptionalDouble.empty());
    }

    List<String> samples() {
        return samples;
    }

    private static String labelsOf(String sample) {
        int open = sample.indexOf('{');
        return open < 0 ? "" : sample.substring(open, sample.lastIndexOf('}') + 1);
    }
}
