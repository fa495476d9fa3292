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
 * Both applications run side by side in one JVM and are asked in turn (one request to each,
 * again and again): the code they share (Tomcat, Jackson, Spring MVC) is compiled once for
 * both, and whatever else the machine does slows both alike. Measured one after the other,
 * the second application would run on code the first one had already warmed up. Each round
 * gives a ratio of medians; the figure is the median round, with the spread of all rounds.
 */
final class EnvEndpointHarness {

	private EnvEndpointHarness() {
	}

	static List<String> run(int secrets, int rotations, int requests, int rounds) throws Exception {
		Path dir = SecretFolders.create(secrets);
		Map<String, Object> plainValues = new HashMap<>();
		for (String name : SecretFolders.names(dir)) {
			plainValues.put("secrets.file." + name, Files.readString(dir.resolve(name)).strip());
		}
		try (ConfigurableApplicationContext ours = start(Map.of(), "--secrets.dir=" + dir);
				ConfigurableApplicationContext plain = start(plainValues, "--secrets.enabled=false")) {
			MountedSecrets mounted = ours.getBean(MountedSecrets.class);
			for (int round = 0; round < rotations; round++) {
				Path next = SecretFolders.create(secrets);
				for (String name : SecretFolders.names(next)) {
					Files.move(next.resolve(name), dir.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
				}
				mounted.rotate(mounted.readFolder());
			}
			Endpoint withStarter = new Endpoint(ours);
			Endpoint without = new Endpoint(plain);
			HttpClient client = HttpClient.newHttpClient();
			for (int i = 0; i < requests * 2; i++) {
				withStarter.get(client);
				without.get(client);
			}
			List<Double> ratios = new ArrayList<>();
			List<Double> cpuRatios = new ArrayList<>();
			List<Double> oursMedians = new ArrayList<>();
			List<Double> plainMedians = new ArrayList<>();
			for (int round = 0; round < rounds; round++) {
				double[] oursTimes = new double[requests];
				double[] plainTimes = new double[requests];
				long oursCpu = withStarter.cpuNanos();
				long plainCpu = without.cpuNanos();
				for (int i = 0; i < requests; i++) {
					oursTimes[i] = withStarter.get(client);
					plainTimes[i] = without.get(client);
				}
				cpuRatios.add((double) (withStarter.cpuNanos() - oursCpu) / (without.cpuNanos() - plainCpu));
				double oursMedian = median(oursTimes);
				double plainMedian = median(plainTimes);
				oursMedians.add(oursMedian);
				plainMedians.add(plainMedian);
				ratios.add(oursMedian / plainMedian);
			}
			double ratio = Stats.median(ratios);
			return List.of(String.format(
					"6. /actuator/env with %d secrets rotated %d times, both applications side by side, requests"
							+ " alternating, %d rounds of %d requests each after %d: with the starter %.2f ms,"
							+ " same properties without it %.2f ms (medians) -> ratio %.2f (rounds %.2f-%.2f; goal:"
							+ " < 1.50) %s; CPU of each application's request threads: ratio %.2f (rounds %.2f-%.2f)",
					secrets, rotations, rounds, requests, requests * 2, Stats.median(oursMedians),
					Stats.median(plainMedians), ratio, Stats.best(ratios), Stats.worst(ratios),
					(ratio < 1.5) ? "MET" : "MISSED", Stats.median(cpuRatios), Stats.best(cpuRatios),
					Stats.worst(cpuRatios)));
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
