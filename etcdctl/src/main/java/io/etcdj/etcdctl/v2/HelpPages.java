package io.etcdj.etcdctl.v2;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The usage pages, byte for byte as etcdctl 3.4's v2 mode prints them; kept as resource files
 * under help/ ("_app" is the top-level page, "member_add" the page of "member add", "topic_member" what
 * "help member" prints).
 */
final class HelpPages {
    private HelpPages() {}

    static String page(String name) {
        try (InputStream in = HelpPages.class.getResourceAsStream("help/" + name + ".txt")) {
            if (in == null) {
                throw new IllegalStateException("no help page " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean exists(String name) {
        return HelpPages.class.getResource("help/" + name + ".txt") != null;
    }
}
