package io.etcdj.etcdctl.print;

/**
 * The bottom of every goroutine trace etcdctl 3.4 prints when a command panics: cobra running the
 * command, etcdctl's Start and main. Same text in each such crash (the function and PC offsets are
 * those of Debian's 3.4.23 build).
 */
public final class GoCobraFrames {
    private GoCobraFrames() {}

    /** The frames from cobra's Command.execute (its receiver and argument slice as Go prints them) down to main. */
    public static String fromExecute(String receiver, String args) {
        return "github.com/spf13/cobra.(*Command).execute(" + receiver + ", " + args + ")\n"
                + "\tgithub.com/spf13/cobra/command.go:920 +0x847\n"
                + "github.com/spf13/cobra.(*Command).ExecuteC(0x13b9920)\n"
                + "\tgithub.com/spf13/cobra/command.go:1044 +0x3bd\n"
                + "github.com/spf13/cobra.(*Command).Execute(...)\n"
                + "\tgithub.com/spf13/cobra/command.go:968\n"
                + "go.etcd.io/etcd/etcdctl/ctlv3.Start()\n"
                + "\tgo.etcd.io/etcd/etcdctl/ctlv3/ctl_nocov.go:26 +0x97\n"
                + "main.main()\n"
                + "\tgo.etcd.io/etcd/etcdctl/main.go:35 +0x65\n";
    }
}
