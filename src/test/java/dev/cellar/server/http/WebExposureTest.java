package dev.cellar.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cellar.config.ListenAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WebExposureTest {

    @ParameterizedTest(name = "keystore={0} listen={1} allow-http-on-loopback={2} -> web={3} https={4}")
    @CsvSource({
            // keystore, listen host, allow, serves web, https, the key the log line names
            "true,  0.0.0.0,         false, true,  true,  HTTPS",
            "true,  127.0.0.1,       true,  true,  true,  HTTPS",
            "true,  db1.example.com, false, true,  true,  HTTPS",
            "false, 127.0.0.1,       true,  true,  false, web.allow-http-on-loopback is true",
            "false, localhost,       true,  true,  false, web.allow-http-on-loopback is true",
            "false, ::1,             true,  true,  false, web.allow-http-on-loopback is true",
            "false, 127.0.1.1,       true,  true,  false, web.allow-http-on-loopback is true",
            "false, 127.0.0.1,       false, false, false, web.allow-http-on-loopback: true",
            "false, 0.0.0.0,         true,  false, false, applies to a loopback server.listen only",
            "false, 0.0.0.0,         false, false, false, server.tls.keystore",
            "false, 10.0.0.5,        true,  false, false, is not a loopback address",
            "false, ::,              true,  false, false, is not a loopback address",
            "false, db1.example.com, true,  false, false, is not a loopback address",
            "false, 128.0.0.1,       true,  false, false, is not a loopback address",
    })
    void dashboardIsServedOverHttpsOrOnAnAllowedLoopbackOnly(boolean keystore, String host, boolean allow, boolean web, boolean https,
            String said) {
        WebExposure exposure = WebExposure.decide(keystore, new ListenAddress(host, 9188), allow);

        assertThat(exposure.servesWeb()).isEqualTo(web);
        assertThat(exposure.https()).isEqualTo(https);
        assertThat(exposure.reason()).contains(said);
        if (!web) {
            assertThat(exposure.reason()).startsWith("the dashboard and the REST API are off").contains("server.tls.keystore");
        }
    }

    @ParameterizedTest(name = "{0} loopback={1}")
    @CsvSource({
            "127.0.0.1, true", "127.255.255.254, true", "LOCALHOST, true", "::1, true", "[::1], true",
            "0:0:0:0:0:0:0:1, true", "0000::0001, true",
            "127.0.0.256, false", "127.0.0, false", "::2, false", "1::1, false", "::, false", "0.0.0.0, false",
            "localhost.example.com, false", "::ffff:127.0.0.1, false",
    })
    void loopbackIsDecidedFromTheTextAlone(String host, boolean loopback) {
        assertThat(WebExposure.isLoopback(host)).isEqualTo(loopback);
    }
}
