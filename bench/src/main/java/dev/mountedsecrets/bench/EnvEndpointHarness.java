package dev.mountedsecrets.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.mountedsecrets.MountedSecrets;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * {@code /actuator/env} response time with N secrets rotated R times (so N x (R + 1) values
 * served and masked), against the same application serving the same N properties without the
 * starter ({@code secrets.enabled=false}, the values as default properties).
 * <p>
 * Each application runs alone in a JVM of its own, as it would in production, started afresh
 * for each round; the rounds alternate which one goes first. Two applications in one JVM
 * share the code the JIT compiles for both (Jackson, Tomcat, the property sources), and each
 * one's types make that code slower for the other: asked in turn, side by side, the
 * application without the starter measured about 1.5 times slower than alone, which made the
 * ratio look better than it is. Each round gives a ratio of medians; the figure is the median
 * round, with the spread of all rounds.
 */
final class EnvEndpointHarness {

	/** The argument a child JVM is started with, followed by the side and the sizes. */
	static final String SIDE_ARGUMENT = "--env-side";

	private static final String RESULT = "env-side result: ";

	private static final int WARM_UP_FACTOR = 4;

	private EnvEndpointHarness() {
	}

	static List<String> run(int secrets, int rotations, int requests, int rounds) throws Exception {
		List<Double> ratios = new ArrayList<>();
		List<Double> cpuRatios = new ArrayList<>();
		List<Double> oursMedians = new ArrayList<>();
		List<Double> plainMedians = new ArrayList<>();
		for (int round = 0; round < rounds; round++) {
			double[] ours;
			double[] plain;
			if (round % 2 == 0) {
				ours = side("ours", secrets, rotations, requests);
				plain = side("plain", secrets, rotations, requests);
			}
			else {
				plain = side("plain", secrets, rotations, requests);
				ours = side("ours", secrets, rotations, requests);
			}
			oursMedians.add(ours[0]);
			plainMedians.add(plain[0]);
			ratios.add(ours[0] / plain[0]);
			cpuRatios.add(ours[1] / plain[1]);
		}
		double ratio = Stats.median(ratios);
		return List.of(String.format(
				"6. /actuator/env with %d secrets rotated %d times, each application alone in a fresh JVM, %d rounds"
						+ " (alternating which goes first) of %d requests after %d: with the starter %.2f ms, same"
						+ " properties without it %.2f ms (medians of rounds) -> ratio %.2f (rounds %.2f-%.2f; goal:"
						+ " < 1.50) %s; CPU of the request threads: ratio %.2f (rounds %.2f-%.2f)",
				secrets, rotations, rounds, requests, requests * WARM_UP_FACTOR, Stats.median(oursMedians),
				Stats.median(plainMedians), ratio, Stats.best(ratios), Stats.worst(ratios),
				(ratio < 1.5) ? "MET" : "MISSED", Stats.median(cpuRatios), Stats.best(cpuRatios),
				Stats.worst(cpuRatios)));
	}

	/** One application measured in a JVM of its own: median response time and CPU per request. */
	private static double[] side(String side, int secrets, int rotations, int requests) throws Exception {
		String javaCommand = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		Process process = new ProcessBuilder(javaCommand, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
				Benchmarks.class.getName(), SIDE_ARGUMENT, side, String.valueOf(secrets), String.valueOf(rotations),
				String.valueOf(requests))
			.redirectErrorStream(true)
			.start();
		String result = null;
		try (var lines = new java.io.BufferedReader(
				new java.io.InputStreamReader(process.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
			for (String line = lines.readLine(); line != null; line = lines.readLine()) {
				if (line.startsWith(RESULT)) {
					result = line.substring(RESULT.length());
				}
			}
		}
		if (process.waitFor() != 0 || result == null) {
			throw new IllegalStateException("The " + side + " application's JVM failed (exit " + process.exitValue() + ")");
		}
		String[] parts = result.split(" ");
		return new double[] { Double.parseDouble(parts[0]), Double.parseDouble(parts[1]) };
	}

	/**
	 * In a child JVM: start one application, with the starter ({@code ours}, its secrets rotated)
	 * or without it ({@code plain}), warm it up, measure, and print the result.
	 */
	static void measureSide(String side, int secrets, int rotations, int requests) throws Exception {
		Path dir = SecretFolders.create(secrets);
		boolean ours = side.equals("ours");
		Map<String, Object> plainValues = new HashMap<>();
		if (!ours) {
			for (String name : SecretFolders.names(dir)) {
				plainValues.put("secrets.file." + name, Files.readString(dir.resolve(name)).strip());
			}
		}
		try (ConfigurableApplicationContext context = ours ? start(Map.of(), "--secrets.dir=" + dir)
				: start(plainValues, "--secrets.enabled=false")) {
			if (ours) {
				MountedSecrets mounted = context.getBean(MountedSecrets.class);
				for (int round = 0; round < rotations; round++) {
					Path next = SecretFolders.create(secrets);
					for (String name : SecretFolders.names(next)) {
						Files.move(next.resolve(name), dir.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
					}
					mounted.rotate(mounted.readFolder());
				}
			}
			Endpoint endpoint = new Endpoint(context);
			HttpClient client = HttpClient.newHttpClient();
			// long enough for the JIT's final tier on both: steady state, as a server runs
			for (int i = 0; i < requests * WARM_UP_FACTOR; i++) {
				endpoint.get(client);
			}
			double[] times = new double[requests];
			long cpu = endpoint.cpuNanos();
			for (int i = 0; i < requests; i++) {
				times[i] = endpoint.get(client);
			}
			double cpuMillis = (endpoint.cpuNanos() - cpu) / 1e6 / requests;
			System.out.println(RESULT + median(times) + " " + cpuMillis);
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private static double median(double[] times) {
		double[] sorted = times.clone();
		Arrays.sort(sorted);
		return sorted[sorted.length / 2];
	}

	private static ConfigurableApplicationContext start(Map<String, Object> defaults, String arg)
			throws IOException {
		SpringApplication application = new SpringApplication(EnvApplication.class);
		application.setWebApplicationType(WebApplicationType.SERVLET);
		application.setDefaultProperties(defaults);
		// spring.config.name: not the sample's application.yml on the class path (it requires its
		// nine secret files); both applications run with the settings below only. A port chosen
		// here, not 0: Tomcat names its threads after the port, which tells the two apart.
		return application.run(arg, "--spring.config.name=bench-env", "--server.port=" + freePort(), "--management.endpoints.web.exposure.include=env",
				"--management.endpoint.env.show-values=always", "--logging.level.root=WARN",
				"--spring.autoconfigure.exclude=org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration,"
						+ "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration");
	}

	/** One application's {@code /actuator/env}, timed from the client, and its request threads' CPU. */
	private static final class Endpoint {

		private final URI uri;

		private final String threadPrefix;

		Endpoint(ConfigurableApplicationContext context) {
			String port = context.getEnvironment().getProperty("local.server.port");
			this.uri = URI.create("http://localhost:" + port + "/actuator/env");
			this.threadPrefix = "http-nio-" + port + "-";
		}

		/** Response time in milliseconds. */
		double get(HttpClient client) throws Exception {
			long begin = System.nanoTime();
			HttpResponse<String> response = client.send(HttpRequest.newBuilder(this.uri).build(),
					HttpResponse.BodyHandlers.ofString());
			double millis = (System.nanoTime() - begin) / 1e6;
			if (response.statusCode() != 200) {
				throw new IllegalStateException(this.uri + " answered " + response.statusCode());
			}
			return millis;
		}

		/** CPU time of this application's Tomcat threads ({@code http-nio-<port>-*}). */
		long cpuNanos() {
			ThreadMXBean threads = ManagementFactory.getThreadMXBean();
			long total = 0;
			for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
				if (info != null && info.getThreadName().startsWith(this.threadPrefix)) {
					total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
				}
			}
			return total;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class EnvApplication {

		@Bean
		SecurityFilterChain openForTheBenchmark(HttpSecurity http) throws Exception {
			return http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll()).build();
		}

	}

}
