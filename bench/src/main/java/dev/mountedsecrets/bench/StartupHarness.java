package dev.mountedsecrets.bench;

import java.util.ArrayList;
import java.util.List;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Figure 2: start-up of the sample application's context with the starter, against the same
 * application given the same values as plain properties with the starter off. Alternating
 * runs after one warm-up of each; the median of each.
 */
final class StartupHarness {

	private StartupHarness() {
	}

	static String run(LocalSample sample, int rounds) throws Exception {
		String[] plain = plainArguments(sample);
		time(sample, new String[0]);
		time(sample, plain);
		List<Double> withStarter = new ArrayList<>();
		List<Double> withProperties = new ArrayList<>();
		for (int i = 0; i < rounds; i++) {
			withStarter.add(time(sample, new String[0]));
			withProperties.add(time(sample, plain));
		}
		double starter = Stats.median(withStarter);
		double properties = Stats.median(withProperties);
		double added = (starter - properties) / properties * 100;
		return String.format("2. start-up of the sample context, median of %d: with the starter %.0f ms, plain"
				+ " properties %.0f ms -> %+.1f%% (goal: under +5%%) %s", rounds, starter, properties, added,
				(added < 5) ? "MET" : "MISSED");
	}

	private static double time(LocalSample sample, String[] args) {
		long start = System.nanoTime();
		ConfigurableApplicationContext context = sample.run(args);
		double millis = (System.nanoTime() - start) / 1e6;
		context.close();
		return millis;
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
