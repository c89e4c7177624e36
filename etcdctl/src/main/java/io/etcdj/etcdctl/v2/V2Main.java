package io.etcdj.etcdctl.v2;

import io.etcdj.etcdctl.cli.Console;
import java.util.List;
import java.util.function.Supplier;

/**
 * etcdctl with ETCDCTL_API=2: urfave/cli-style global flags, then a command (or "member" and a
 * subcommand) with its own flags, which may follow its arguments. Returns the exit status.
 */
public final class V2Main {
    private V2Main() {}

    /** A command: its help page name, its flags, what it does. */
    private record Spec(String page, Supplier<GoFlags> flags, Action action) {}

    private interface Action {
        void run(V2Context c) throws Exception;
    }

    private static GoFlags flags() {
        return new GoFlags().boolFlag("help", "h");
    }

    private static Spec spec(String command) {
        return switch (command) {
            case "set" -> new Spec("set", () -> flags().intFlag("ttl").valueFlag("swap-with-value").intFlag("swap-with-index"),
                    KeyCommands::set);
            case "mk" -> new Spec("mk", () -> flags().boolFlag("in-order").intFlag("ttl"), KeyCommands::mk);
            case "mkdir" -> new Spec("mkdir", () -> flags().intFlag("ttl"), c -> KeyCommands.dir(c, "false"));
            case "setdir" -> new Spec("setdir", () -> flags().intFlag("ttl"), c -> KeyCommands.dir(c, ""));
            case "updatedir" -> new Spec("updatedir", () -> flags().intFlag("ttl"), c -> KeyCommands.dir(c, "true"));
            case "update" -> new Spec("update", () -> flags().intFlag("ttl"), KeyCommands::update);
            case "get" -> new Spec("get", () -> flags().boolFlag("sort").boolFlag("quorum", "q"), KeyCommands::get);
            case "ls" -> new Spec("ls", () -> flags().boolFlag("sort").boolFlag("recursive", "r").boolFlag("p").boolFlag("quorum", "q"),
                    KeyCommands::ls);
            case "rm" -> new Spec("rm", () -> flags().boolFlag("dir").boolFlag("recursive", "r").valueFlag("with-value")
                    .intFlag("with-index"), KeyCommands::rm);
            case "rmdir" -> new Spec("rmdir", V2Main::flags, KeyCommands::rmdir);
            case "watch" -> new Spec("watch", () -> flags().boolFlag("forever", "f").intFlag("after-index")
                    .boolFlag("recursive", "r"), WatchCommand::run);
            case "cluster-health" -> new Spec("cluster-health", () -> flags().boolFlag("forever", "f"), ClusterHealth::run);
            case "member list" -> new Spec("member_list", V2Main::flags, MemberCommands::list);
            case "member add" -> new Spec("member_add", V2Main::flags, MemberCommands::add);
            case "member remove" -> new Spec("member_remove", V2Main::flags, MemberCommands::remove);
            case "member update" -> new Spec("member_update", V2Main::flags, MemberCommands::update);
            case "auth enable" -> new Spec("auth_enable", V2Main::flags, c -> AuthCommands.enable(c, true));
            case "auth disable" -> new Spec("auth_disable", V2Main::flags, c -> AuthCommands.enable(c, false));
            case "user list" -> new Spec("user_list", V2Main::flags, AuthCommands::userList);
            case "user add" -> new Spec("user_add", V2Main::flags, AuthCommands::userAdd);
            case "user get" -> new Spec("user_get", V2Main::flags, AuthCommands::userGet);
            case "user remove" -> new Spec("user_remove", V2Main::flags, AuthCommands::userRemove);
            case "user passwd" -> new Spec("user_passwd", V2Main::flags, AuthCommands::userPasswd);
            case "user grant" -> new Spec("user_grant", () -> flags().sliceFlag("roles"), c -> AuthCommands.userGrantRevoke(c, true));
            case "user revoke" -> new Spec("user_revoke", () -> flags().sliceFlag("roles"), c -> AuthCommands.userGrantRevoke(c, false));
            case "role list" -> new Spec("role_list", V2Main::flags, AuthCommands::roleList);
            case "role add" -> new Spec("role_add", V2Main::flags, AuthCommands::roleAdd);
            case "role get" -> new Spec("role_get", V2Main::flags, AuthCommands::roleGet);
            case "role remove" -> new Spec("role_remove", V2Main::flags, AuthCommands::roleRemove);
            case "role grant" -> new Spec("role_grant", () -> flags().valueFlag("path").boolFlag("read").boolFlag("write")
                    .boolFlag("readwrite", "rw"), c -> AuthCommands.roleGrantRevoke(c, true));
            case "role revoke" -> new Spec("role_revoke", () -> flags().valueFlag("path").boolFlag("read").boolFlag("write")
                    .boolFlag("readwrite", "rw"), c -> AuthCommands.roleGrantRevoke(c, false));
            case "exec-watch" -> new Spec("exec-watch", () -> flags().intFlag("after-index").boolFlag("recursive", "r"),
                    ExecWatchCommand::run);
            case "backup" -> new Spec("backup", BackupCommand::flags, BackupCommand::run);
            default -> null;
        };
    }

    public static int run(List<String> args, Console console) {
        try {
            dispatch(args, console);
            return V2Exit.SUCCESS;
        } catch (V2Exit e) {
            return e.code;
        } finally {
            console.out().flush();
            console.err().flush();
        }
    }

    private static void dispatch(List<String> args, Console console) {
        GoFlags global = new GoFlags().boolFlag("debug").boolFlag("no-sync").valueFlag("output", "o").valueFlag("discovery-srv", "D")
                .boolFlag("insecure-discovery").valueFlag("peers", "C").valueFlag("endpoint").valueFlag("endpoints")
                .valueFlag("cert-file").valueFlag("key-file").valueFlag("ca-file").valueFlag("username", "u").valueFlag("timeout")
                .valueFlag("total-timeout").boolFlag("help", "h").boolFlag("version", "v");
        try {
            global.parse(args);
        } catch (GoFlags.ParseError e) {
            console.err().print(e.getMessage() + "\n");
            console.out().print("Incorrect Usage. " + e.getMessage() + "\n\n" + HelpPages.page("_app"));
            throw new V2Exit(V2Exit.BAD_ARGS);
        }
        List<String> rest = global.args();
        if (global.bool("version")) {
            console.out().print("etcdctl version: 3.4.23\nAPI version: 2\n");
            return;
        }
        if (global.bool("help") || rest.isEmpty()) {
            console.out().print(HelpPages.page("_app"));
            return;
        }
        String command = rest.get(0);
        List<String> commandArgs = rest.subList(1, rest.size());
        if (command.equals("help") || command.equals("h")) {
            help(commandArgs, console);
            return;
        }
        if (List.of("member", "user", "role", "auth").contains(command)) {
            if (commandArgs.isEmpty() || commandArgs.get(0).equals("-h") || commandArgs.get(0).equals("--help")) {
                console.out().print(HelpPages.page(command));
                return;
            }
            command = command + " " + commandArgs.get(0);
            commandArgs = commandArgs.subList(1, commandArgs.size());
        }
        Spec spec = spec(command);
        if (spec == null) {
            String name = command.contains(" ") ? command.substring(command.indexOf(' ') + 1) : command;
            console.err().print("No help topic for '" + name + "'\n");
            throw new V2Exit(BAD_HELP_TOPIC);
        }
        GoFlags local = spec.flags().get();
        try {
            local.parse(local.reorder(commandArgs));
        } catch (GoFlags.ParseError e) {
            console.err().print(e.getMessage() + "\n");
            console.out().print("Incorrect Usage: " + e.getMessage() + "\n\n" + HelpPages.page(spec.page()));
            throw new V2Exit(V2Exit.BAD_ARGS);
        }
        if (local.bool("help")) {
            console.out().print(HelpPages.page(spec.page()));
            return;
        }
        try {
            spec.action().run(new V2Context(global, local, console));
        } catch (RuntimeException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new V2Exit(V2Exit.BAD_ARGS);
        } catch (Exception e) {
            console.err().print("Error:  " + e.getMessage() + "\n");
            throw new V2Exit(V2Exit.BAD_ARGS);
        }
    }

    /** urfave/cli's exit status for a help topic that does not exist. */
    private static final int BAD_HELP_TOPIC = 3;

    private static void help(List<String> topic, Console console) {
        if (topic.isEmpty()) {
            console.out().print(HelpPages.page("_app"));
            return;
        }
        String name = topic.get(0).equals("h") ? "help" : topic.get(0);
        if (!HelpPages.exists(name) || name.startsWith("_") || name.contains("_")) {
            console.err().print("No help topic for '" + topic.get(0) + "'\n");
            throw new V2Exit(BAD_HELP_TOPIC);
        }
        // "help <group>" prints a shorter page than "<group> --help" (topic_<group>)
        console.out().print(HelpPages.page(HelpPages.exists("topic_" + name) ? "topic_" + name : name));
    }
}
