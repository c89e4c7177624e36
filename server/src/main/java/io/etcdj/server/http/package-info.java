/**
 * What Go's net/http does on the wire that every HTTP/1 port of a member shares (client port,
 * peer port, metrics listeners): the framing of an answer by the request's protocol, and the
 * Date header.
 */
package io.etcdj.server.http;
