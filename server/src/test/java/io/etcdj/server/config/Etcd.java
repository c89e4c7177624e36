package io.etcdj.server.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Test helper: runs the parser on a shell-style command line such as the seed articles show. */
final class Etcd {
    private Etcd() {}

    /** Splits "etcd --a b \\\n -c d" into ["--a","b","-c","d"] (drops the leading "etcd"/"./etcd"). */
    static String[] args(String commandLine) {
        List<String> words = new ArrayList<>();
        for (String w : commandLine.replace("\\\n", " ").trim().split("\\s+")) {
            if (!w.isEmpty()) {
                words.add(w);
            }
        }
        if (!words.isEmpty() && (words.get(0).equals("etcd") || words.get(0).endsWith("/etcd"))) {
            words.remove(0);
        }
        return words.toArray(new String[0]);
    }

    static EtcdConfig parse(String commandLine) throws ConfigException {
        return EtcdConfigParser.parse(args(commandLine), Map.of(), StartupLog.NONE);
    }

    static EtcdConfig parse(String commandLine, Map<String, String> env, StartupLog log) throws ConfigException {
        return EtcdConfigParser.parse(args(commandLine), env, log);
    }
}
