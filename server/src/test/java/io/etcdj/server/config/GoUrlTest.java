package io.etcdj.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** URL strings are Go's, since member IDs hash them. */
class GoUrlTest {
    @ParameterizedTest
    @CsvSource({
        "http://127.0.0.1:2380, http://127.0.0.1:2380",
        "HTTP://Node1:2380, http://Node1:2380",
        "' http://127.0.0.1:2380 ', http://127.0.0.1:2380",
        "https://[::1]:2380, https://[::1]:2380",
        "unix://localhost:1234, unix://localhost:1234",
        "unixs:///tmp/etcd.sock, unixs:///tmp/etcd.sock",
        "http://u:p@127.0.0.1:2380, http://u:p@127.0.0.1:2380",
    })
    void etcdStringForm(String in, String out) {
        assertThat(EtcdUrls.parseOne(in).toString()).isEqualTo(out);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "localhost:2380 | URL scheme must be http, https, unix, or unixs: localhost:2380",
        "ftp://127.0.0.1:21 | URL scheme must be http, https, unix, or unixs: ftp://127.0.0.1:21",
        "http://127.0.0.1:x | parse \"http://127.0.0.1:x\": invalid port \":x\" after host",
        "http://[::1:2380 | parse \"http://[::1:2380\": missing ']' in host",
        "http://127.0.0.1:2380/ | URL must not contain a path: http://127.0.0.1:2380/",
        ":2380 | parse \":2380\": missing protocol scheme",
        "%zz | parse \"%zz\": invalid URL escape \"%zz\"",
        "http://127.0.0.1:5/% | parse \"http://127.0.0.1:5/%\": invalid URL escape \"%\"",
        "http://127.0.0.1:5#%4 | parse \"http://127.0.0.1:5#%4\": invalid URL escape \"%4\"",
        "http://a%41b:5 | parse \"http://a%41b:5\": invalid URL escape \"%41\"",
    })
    void etcdErrors(String in, String message) {
        assertThatThrownBy(() -> EtcdUrls.parseOne(in)).hasMessage(message);
    }

    @org.junit.jupiter.api.Test
    void anEmptyUrlHasNoScheme() {
        assertThatThrownBy(() -> EtcdUrls.parseOne("")).hasMessage("URL scheme must be http, https, unix, or unixs: ");
    }

    @ParameterizedTest
    @CsvSource({"http://127.0.0.1:2380, 127.0.0.1, 2380", "http://[::1]:2379, ::1, 2379",
            "http://host.example:80, host.example, 80"})
    void hostAndPort(String url, String host, String port) {
        GoUrl u = EtcdUrls.view(EtcdUrls.parseOne(url));
        assertThat(u.hostname()).isEqualTo(host);
        assertThat(u.port()).isEqualTo(port);
    }
}
