package dev.cellar.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cellar.error.CellarException;
import dev.cellar.error.ErrorCode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerHttpConfigTest {

    @Test
    void withNothingSetTheEndpointsListenOnLoopbackPort9188() {
        ServerHttpConfig http = ConfigLoader.load(null, Map.of(), Map.of()).serverHttp();

        assertThat(http.listen()).isEqualTo(new ListenAddress("127.0.0.1", 9188));
        assertThat(http.healthTickAge()).isEqualTo(Duration.ofSeconds(120));
    }

    @Test
    void theVariablesSetTheAddressAndTheTickAge() {
        ServerHttpConfig http = ConfigLoader.load(null,
                Map.of("CELLAR_SERVER_LISTEN", "0.0.0.0:9300", "CELLAR_SERVER_HEALTH_TICK_AGE_SECONDS", "300"), Map.of()).serverHttp();

        assertThat(http.listen()).isEqualTo(new ListenAddress("0.0.0.0", 9300));
        assertThat(http.healthTickAge()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void anAddressWithoutAPortIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("server.listen", "localhost")))
                .isInstanceOf(CellarException.class)
                .satisfies(e -> assertThat(((CellarException) e).code()).isEqualTo(ErrorCode.CONFIG_INVALID))
                .hasMessageContaining("server.listen").hasMessageContaining("host:port").hasMessageContaining("'localhost'");
    }

    @Test
    void listenAddressesParseHostsIpv6AndRefuseNonsense() {
        assertThat(ListenAddress.parse("[::1]:9188")).contains(new ListenAddress("::1", 9188));
        assertThat(ListenAddress.parse("backup-host.example:80")).contains(new ListenAddress("backup-host.example", 80));
        assertThat(new ListenAddress("::1", 9188)).hasToString("[::1]:9188");
        assertThat(ListenAddress.parse("::1:9188")).isEmpty();
        assertThat(ListenAddress.parse(":9188")).isEmpty();
        assertThat(ListenAddress.parse("host:")).isEmpty();
        assertThat(ListenAddress.parse("host:70000")).isEmpty();
        assertThat(ListenAddress.parse("host:http")).isEmpty();
    }
}
