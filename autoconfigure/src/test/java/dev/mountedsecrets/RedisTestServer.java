package dev.mountedsecrets;

import java.io.IOException;
import java.net.ServerSocket;

import redis.embedded.RedisServer;

/**
 * A real Redis server on loopback (the binaries shipped by embedded-redis) that requires a
 * password for the default user and knows one ACL user.
 */
final class RedisTestServer implements AutoCloseable {

	private final RedisServer server;

	private final int port;

	private RedisTestServer(RedisServer server, int port) {
		this.server = server;
		this.port = port;
	}

	static RedisTestServer start(String defaultPassword, String aclUser, String aclPassword) throws IOException {
		int port = freePort();
		RedisServer server = RedisServer.newRedisServer()
			.port(port)
			.bind("127.0.0.1")
			.setting("save \"\"")
			.setting("appendonly no")
			.setting("requirepass " + defaultPassword)
			.setting("user " + aclUser + " on >" + aclPassword + " ~* &* +@all")
			.build();
		server.start();
		return new RedisTestServer(server, port);
	}

	int port() {
		return this.port;
	}

	@Override
	public void close() throws IOException {
		this.server.stop();
	}

	static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
