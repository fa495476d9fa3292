package dev.mountedsecrets.bench;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Figure 2: start-up of the sample application's context with the starter, against the same
 * application given the same values as plain properties with the starter off. Also the
 * starter without its start-up login check and reload thread, and each variant up to its
 * first database connection (the plain application opens its pool lazily, the starter's
 * least-privilege check at start-up). Alternating runs after one warm-up of each; medians.
 */
final class StartupHarness {

	private static final String STARTER = "with the starter";

	private static final String LEAN = "with the starter, least-privilege off and no reload";

	private static final String PLAIN = "plain properties";

	private StartupHarness() {
	}

	static List<String> run(LocalSample sample, int rounds) throws Exception {
		Map<String, String[]> modes = new LinkedHashMap<>();
		modes.put(STARTER, new String[0]);
		modes.put(LEAN, new String[] { "--secrets.datasource.least-privilege=off", "--secrets.reload.enabled=false" });
		modes.put(PLAIN, plainArguments(sample));
		Map<String, List<Double>> started = new LinkedHashMap<>();
		Map<String, List<Double>> connected = new LinkedHashMap<>();
		modes.forEach((mode, args) -> {
			time(sample, args);
			started.put(mode, new ArrayList<>());
			connected.put(mode, new ArrayList<>());
		});
		for (int i = 0; i < rounds; i++) {
			modes.forEach((mode, args) -> {
				double[] times = time(sample, args);
				started.get(mode).add(times[0]);
				connected.get(mode).add(times[1]);
			});
		}
		double plainStart = Stats.median(started.get(PLAIN));
		double plainConnected = Stats.median(connected.get(PLAIN));
		List<String> lines = new ArrayList<>();
		for (String mode : List.of(STARTER, LEAN)) {
			double start = Stats.median(started.get(mode));
			double added = (start - plainStart) / plainStart * 100;
			lines.add(String.format("2. start-up of the sample context, median of %d: %s %.0f ms, %s %.0f ms -> %+.1f%%"
					+ " (goal: under +5%%) %s", rounds, mode, start, PLAIN, plainStart, added, (added < 5) ? "MET" : "MISSED"));
		}
		double start = Stats.median(connected.get(STARTER));
		lines.add(String.format("2. start-up plus first database connection, median of %d: %s %.0f ms, %s %.0f ms -> %+.1f%%",
				rounds, STARTER, start, PLAIN, plainConnected, (start - plainConnected) / plainConnected * 100));
		return lines;
	}

	/** Start the sample; milliseconds to a started context, and to its first database connection. */
	private static double[] time(LocalSample sample, String[] args) {
		long begin = System.nanoTime();
		try (ConfigurableApplicationContext context = sample.run(args)) {
			double startedMillis = (System.nanoTime() - begin) / 1e6;
			try (Connection connection = context.getBean(DataSource.class).getConnection()) {
				connection.isValid(1);
			}
			return new double[] { startedMillis, (System.nanoTime() - begin) / 1e6 };
		}
		catch (Exception ex) {
			throw new IllegalStateException("Sample did not start", ex);
		}
	}

	private static String[] plainArguments(LocalSample sample) throws Exception {
		String registration = "spring.security.oauth2.client.registration.google.";
		return new String[] { "--secrets.enabled=false", "--spring.datasource.username=app_user",
				"--spring.datasource.password=" + sample.read("db_password_server"), "--spring.flyway.user=postgres",
				"--spring.flyway.password=" + sample.read("postgres_password"),
				"--spring.data.redis.password=" + sample.read("redis_password"),
				"--spring.mail.password=" + sample.read("email_password"),
				"--" + registration + "client-id=" + sample.read("google_oauth_client_id"),
				"--" + registration + "client-secret=" + sample.read("google_oauth_client_secret"),
				"--secrets.file.crypto_key=" + sample.read("crypto_key"),
				"--secrets.file.token_secret_key=" + sample.read("token_secret_key"),
				"--secrets.file.nextauth_secret=" + sample.read("nextauth_secret") };
	}

}
