/**
 * Start-up configuration and bootstrap identity of {@code bin/etcd}, compatible with etcd 3.5.
 *
 * <p>Entry point: {@link io.etcdj.server.config.EtcdConfigParser#parse(String[], java.util.Map)}
 * turns arguments (Go flag syntax), {@code ETCD_*} variables or a {@code --config-file} YAML file
 * into an immutable {@link io.etcdj.server.config.EtcdConfig}, or throws a
 * {@link io.etcdj.server.config.ConfigException} that knows what etcd prints and its exit code
 * (help and version included). {@link io.etcdj.server.config.EtcdFlags} lists every flag with
 * etcd's default; {@link io.etcdj.server.config.EtcdVersion} is the one version constant.
 *
 * <p>Bootstrap identity: {@link io.etcdj.server.config.InitialCluster} and
 * {@link io.etcdj.server.config.MemberIds} derive member and cluster IDs exactly as etcd does;
 * {@link io.etcdj.server.config.BootstrapVerification} makes etcd's checks for a member that
 * starts without data.
 */
package io.etcdj.server.config;
