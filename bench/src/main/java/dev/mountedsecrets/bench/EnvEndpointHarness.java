package dev.mountedsecrets.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
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
 */
final class EnvEndpointHarness {

	private EnvEndpointHarness() {
	}

	static List<String> run(int secrets, int rotations, int requests) throws Exception {
		Path dir = SecretFolders.create(secrets);
		Map<String, Object> plainValues = new HashMap<>();
		for (String name : SecretFolders.names(dir)) {
			plainValues.put("secrets.file." + name, Files.readString(dir.resolve(name)).strip());
		}
		double[] ours;
		try (ConfigurableApplicationContext context = start(Map.of(), "--secrets.dir=" + dir)) {
			MountedSecrets mounted = context.getBean(MountedSecrets.class);
			for (int round = 0; round < rotations; round++) {
				Path next = SecretFolders.create(secrets);
				for (String name : SecretFolders.names(next)) {
					Files.move(next.resolve(name), dir.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
				}
				mounted.rotate(mounted.readFolder());
			}
			ours = measure(context, requests);
		}
		double[] plain;
		try (ConfigurableApplicationContext context = start(plainValues, "--secrets.enabled=false")) {
			plain = measure(context, requests);
		}
		return List.of(String.format(
				"6. /actuator/env with %d secrets rotated %d times, median of %d requests: with the starter %.2f ms,"
						+ " same properties without it %.2f ms -> ratio %.2f (goal: < 1.50) %s;"
						+ " CPU of the request threads per request (robust to other load): %.2f ms vs %.2f ms"
						+ " -> ratio %.2f",
				secrets, rotations, requests, ours[0], plain[0], ours[0] / plain[0],
				(ours[0] / plain[0] < 1.5) ? "MET" : "MISSED", ours[1], plain[1], ours[1] / plain[1]));
	}

	private static ConfigurableApplicationContext start(Map<String, Object> defaults, String arg) {
		SpringApplication application = new SpringApplication(EnvApplication.class);
		application.setWebApplicationType(WebApplicationType.SERVLET);
		application.setDefaultProperties(defaults);
		// spring.config.name: not the sample's application.yml on the class path (it requires its
		// nine secret files); both applications run with the settings below only
		return application.run(arg, "--spring.config.name=bench-env", "--server.port=0", "--management.endpoints.web.exposure.include=env",
				"--management.endpoint.env.show-values=always", "--logging.level.root=WARN",
				"--spring.autoconfigure.exclude=org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration,"
						+ "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration");
	}

	/** Median response time and mean process CPU time per request, in milliseconds. */
	private static double[] measure(ConfigurableApplicationContext context, int requests) throws Exception {
		URI uri = URI.create("http://localhost:" + context.getEnvironment().getProperty("local.server.port")
				+ "/actuator/env");
		HttpClient client = HttpClient.newHttpClient();
		for (int i = 0; i < Math.max(20, requests / 2); i++) {
			get(client, uri);
		}
		double[] times = new double[requests];
		long cpu = processCpuNanos();
		for (int i = 0; i < requests; i++) {
			long begin = System.nanoTime();
			get(client, uri);
			times[i] = (System.nanoTime() - begin) / 1e6;
		}
		double cpuMillis = (processCpuNanos() - cpu) / 1e6 / requests;
		Arrays.sort(times);
		return new double[] { times[requests / 2], cpuMillis };
	}

	/** CPU time of the server's request threads (Tomcat's {@code http-nio-*-exec-*}). */
	private static long processCpuNanos() {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		long total = 0;
		for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
			if (info != null && info.getThreadName().startsWith("http-nio-")) {
				total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
			}
		}
		return total;
	}

	private static void get(HttpClient client, URI uri) throws Exception {
		HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).build(),
				HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 200) {
			throw new IllegalStateException(uri + " answered " + response.statusCode());
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
