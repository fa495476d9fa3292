package dev.mountedsecrets.sample.local;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.mountedsecrets.sample.GenerateSecrets;
import dev.mountedsecrets.sample.SampleApplication;

import org.springframework.boot.SpringApplication;

/**
 * Runs the sample without Docker: generates the secrets folder on first run, starts real
 * PostgreSQL, Redis, SMTP and OAuth2 servers on loopback from those secrets, then the sample
 * itself. {@code ./mvnw -pl sample-app -am spring-boot:test-run}; another port with
 * {@code -Dspring-boot.run.arguments=--server.port=8081}.
 * <p>
 * When the sample cannot start (its port in use, a bad secret), it says why, stops every
 * server it started and exits with status 1: the command never hangs on a failed start.
 */
public final class LocalSampleApplication {

	private static final int DEFAULT_PORT = 8080;

	private static final String PORT_ARGUMENT = "--server.port=";

	private LocalSampleApplication() {
	}

	public static void main(String[] args) throws Exception {
		int port = port(args);
		if (!isFree(port)) {
			fail("Port " + port + " is already in use, so the sample cannot listen on it. Stop what uses it, or pick"
					+ " another port:" + System.lineSeparator() + "    ./mvnw -pl sample-app -am spring-boot:test-run"
					+ " -Dspring-boot.run.arguments=" + PORT_ARGUMENT + (port + 1));
			return;
		}
		Path secrets = Path.of(System.getProperty("sample.secrets", "secrets")).toAbsolutePath();
		List<String> created = GenerateSecrets.generateMissing(secrets);
		LocalServices services;
		try {
			services = LocalServices.start(secrets, port);
		}
		catch (Exception ex) {
			// no message: a server's exception may quote what it was given
			fail("The local servers could not start (" + ex.getClass().getSimpleName() + "); none is left running.");
			return;
		}
		Runnable stopServices = stopOnce(services);
		Runtime.getRuntime().addShutdownHook(new Thread(stopServices, "local-services-shutdown"));
		try {
			SpringApplication.run(SampleApplication.class, concat(services.sampleArguments(port), args));
		}
		catch (Throwable ex) {
			stopServices.run();
			// Boot has printed why (its failure analysis, with every served secret masked)
			fail("The sample did not start: see the report above. Every local server it started is stopped.");
			return;
		}
		printWhereToSignIn(secrets, created, port);
	}

	private static int port(String[] args) {
		int port = DEFAULT_PORT;
		for (String arg : args) {
			if (arg.startsWith(PORT_ARGUMENT)) {
				try {
					port = Integer.parseInt(arg.substring(PORT_ARGUMENT.length()).trim());
				}
				catch (NumberFormatException ex) {
					fail("'" + arg + "' is not a port number. Example: -Dspring-boot.run.arguments=" + PORT_ARGUMENT
							+ "8081");
				}
			}
		}
		return port;
	}

	/**
	 * Whether nothing listens on the port yet, on any address (where Tomcat will bind).
	 */
	private static boolean isFree(int port) {
		try (ServerSocket socket = new ServerSocket()) {
			socket.setReuseAddress(true);
			socket.bind(new InetSocketAddress(port));
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static Runnable stopOnce(LocalServices services) {
		AtomicBoolean stopped = new AtomicBoolean();
		return () -> {
			if (stopped.compareAndSet(false, true)) {
				try {
					services.close();
				}
				catch (Exception ex) {
					// shutting down anyway
				}
			}
		};
	}

	private static void fail(String reason) {
		System.err.println();
		System.err.println("mounted-secrets sample: " + reason);
		System.err.flush();
		System.exit(1);
	}

	private static void printWhereToSignIn(Path secrets, List<String> created, int port) {
		String base = "http://localhost:" + port;
		System.out.println();
		System.out.println("mounted-secrets sample is running on real local servers.");
		System.out.println("  Secrets folder:  " + secrets
				+ (created.isEmpty() ? " (existing files kept)" : " (created: " + String.join(", ", created) + ")"));
		System.out.println("  Sign in:         " + base + "/  as " + LocalServices.DEMO_USER + " (operator) or "
				+ LocalServices.OTHER_USER + ", password in " + secrets.resolve(LocalServices.DEMO_PASSWORD_FILE));
		System.out.println("  Dashboard:       " + base + "/dashboard  (as " + LocalServices.DEMO_USER + ")");
		System.out.println("  API token:       " + base + "/token  (after signing in)");
		System.out.println("  Wiring report:   GET " + base + "/actuator/wiring  with a token of role OPS (see docs/sample-app.md)");
		System.out.println("  Mail arrives at: the local SMTP server (GreenMail), user 'app'");
		System.out.println("  Stop:            Ctrl+C (stops the sample and every local server)");
	}

	private static String[] concat(String[] first, String[] second) {
		String[] all = new String[first.length + second.length];
		System.arraycopy(first, 0, all, 0, first.length);
		System.arraycopy(second, 0, all, first.length, second.length);
		return all;
	}

}
