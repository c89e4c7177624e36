/**
 * etcd's logs from SLF4J and Logback: {@link io.etcdj.server.logging.LogbackSetup} configures
 * Logback from --log-level, --log-outputs and --log-format; the layouts write zap's JSON lines
 * ({"level","ts","caller","msg", then structured fields}) or zap's console lines; and
 * {@link io.etcdj.server.logging.SecretRedaction} keeps passwords, tokens and private keys out of
 * every line, whatever the caller passed in.
 */
package io.etcdj.server.logging;
