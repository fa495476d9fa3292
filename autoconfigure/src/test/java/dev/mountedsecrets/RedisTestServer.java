package dev.mountedsecrets;

import java.io.IOException;
import java.net.ServerSocket;

import java.util.List;

import redis.embedded.RedisServer;
import redis.embedded.core.RedisServerBuilder;

/**
 * A real Redis server on loopback (the binaries shipped by embedded-redis) that requires a
 * password for the default user and knows one ACL user.
 */
public final class RedisTestServer implements AutoCloseable {

	private final RedisServer server;

	private final int port;

	private RedisTestServer(RedisServer server, int port) {
		this.server = server;
		this.port = port;
	}

	public static RedisTestServer start(String defaultPassword) throws IOException {
		return start(defaultPassword, List.of());
	}

	public static RedisTestServer start(String defaultPassword, String aclUser, String aclPassword) throws IOException {
		return start(defaultPassword, List.of("user " + aclUser + " on >" + aclPassword + " ~* &* +@all"));
	}

	private static RedisTestServer start(String defaultPassword, List<String> settings) throws IOException {
		int port = freePort();
		RedisServerBuilder builder = RedisServer.newRedisServer()
			.port(port)
			.bind("127.0.0.1")
			.setting("save \"\"")
			.setting("appendonly no")
			.setting("requirepass " + defaultPassword);
		settings.forEach(builder::setting);
		RedisServer server = builder.build();
		server.start();
		return new RedisTestServer(server, port);
	}

	public int port() {
		return this.port;
	}

	@Override
	public void close() throws IOException {
		this.server.stop();
	}

	public static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
