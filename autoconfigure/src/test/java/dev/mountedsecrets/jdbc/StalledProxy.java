package dev.mountedsecrets.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on loopback in front of a real server: it forwards both ways until told to
 * stall, and from then on forwards what the client sends but nothing the server answers, as a
 * proxy or a database that stopped answering after the login would.
 */
final class StalledProxy implements AutoCloseable {

	private final ServerSocket server;

	private final int target;

	private final List<Socket> sockets = new CopyOnWriteArrayList<>();

	private volatile boolean stalled;

	StalledProxy(int target) throws IOException {
		this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		this.target = target;
		daemon(this::accept, "stalled-proxy");
	}

	int port() {
		return this.server.getLocalPort();
	}

	/** Forward nothing more from the server to the client. */
	void stall() {
		this.stalled = true;
	}

	private void accept() {
		try {
			while (true) {
				Socket client = this.server.accept();
				Socket upstream = new Socket(InetAddress.getLoopbackAddress(), this.target);
				this.sockets.add(client);
				this.sockets.add(upstream);
				daemon(() -> pump(client, upstream, false), "stalled-proxy-up");
				daemon(() -> pump(upstream, client, true), "stalled-proxy-down");
			}
		}
		catch (IOException ex) {
			// closed
		}
	}

	private void pump(Socket from, Socket to, boolean answers) {
		byte[] buffer = new byte[8192];
		try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
			int count;
			while ((count = in.read(buffer)) >= 0) {
				if (!(answers && this.stalled)) {
					out.write(buffer, 0, count);
					out.flush();
				}
			}
		}
		catch (IOException ex) {
			// closed
		}
	}

	private static void daemon(Runnable work, String name) {
		Thread thread = new Thread(work, name);
		thread.setDaemon(true);
		thread.start();
	}

	@Override
	public void close() throws IOException {
		this.server.close();
		for (Socket socket : this.sockets) {
			socket.close();
		}
	}

}
