package dev.mountedsecrets.bench;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import com.zaxxer.hikari.HikariDataSource;
import dev.mountedsecrets.reload.RotatingRedisCredentials;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * Figure 3: rotation latency, from writing the files to the new value being used by the
 * environment, the pool, Redis and mail, on the sample over real servers. Each rotation
 * changes the servers first, then the three files at once.
 */
final class RotationHarness {

	private static final SecureRandom random = new SecureRandom();

	private RotationHarness() {
	}

	static List<String> run(LocalSample sample, Duration quietPeriod, int rotations) throws Exception {
		return run(sample, quietPeriod, rotations, "files written in place", sample::writeAll);
	}

	/**
	 * Rotation latency with the given way of changing the files.
	 * @param layout what the figure line calls the layout
	 * @param writer changes the files and returns the {@code System.nanoTime()} the latency counts from
	 */
	static List<String> run(LocalSample sample, Duration quietPeriod, int rotations, String layout,
			SecretWriter writer) throws Exception {
		Map<String, List<Double>> latencies = new LinkedHashMap<>();
		for (String consumer : List.of("environment", "pool", "redis", "mail")) {
			latencies.put(consumer, new ArrayList<>());
		}
		try (ConfigurableApplicationContext context = sample.run("--secrets.reload.quiet-period=" + quietPeriod.toMillis() + "ms")) {
			Environment environment = context.getEnvironment();
			HikariDataSource pool = context.getBean(HikariDataSource.class);
			RotatingRedisCredentials redis = context.getBean(RotatingRedisCredentials.class);
			JavaMailSenderImpl mail = context.getBean(JavaMailSenderImpl.class);
			RedisClient adminClient = RedisClient.create(RedisURI.builder()
				.withHost("127.0.0.1")
				.withPort(Integer.parseInt(environment.getProperty("spring.data.redis.port")))
				.withPassword(sample.read("redis_password").toCharArray())
				.build());
			try (StatefulRedisConnection<String, String> admin = adminClient.connect()) {
				for (int i = 0; i < rotations; i++) {
					String db = randomValue();
					String redisPassword = randomValue();
					String mailPassword = randomValue();
					sample.services.postgres().executeAsAdmin("ALTER ROLE app_user PASSWORD '" + db + "'");
					admin.sync().configSet("requirepass", redisPassword);
					sample.services.smtp().getUserManager().getUser("app").setPassword(mailPassword);
					Map<String, String> values = new LinkedHashMap<>();
					values.put("db_password_server", db);
					values.put("redis_password", redisPassword);
					values.put("email_password", mailPassword);
					long start = writer.write(values);
					Map<String, BooleanSupplier> done = new LinkedHashMap<>();
					done.put("environment", () -> db.equals(environment.getProperty("spring.datasource.password")));
					done.put("pool", () -> db.equals(pool.getPassword()));
					done.put("redis", () -> redisPassword.equals(new String(redis.resolveCredentials().block().getPassword())));
					done.put("mail", () -> mailPassword.equals(mail.getPassword()));
					awaitEach(done, start, latencies, quietPeriod.multipliedBy(4).plusSeconds(10));
				}
			}
			finally {
				adminClient.shutdown();
			}
		}
		List<String> lines = new ArrayList<>();
		latencies.forEach((consumer, values) -> lines.add(String.format(
				"3. rotation latency, %s, quiet-period %d ms, %d rotations, %s: median %.0f ms, best %.0f ms, worst %.0f ms",
				layout, quietPeriod.toMillis(), rotations, consumer, Stats.median(values), Stats.best(values),
				Stats.worst(values))));
		return lines;
	}

	private static void awaitEach(Map<String, BooleanSupplier> done, long start, Map<String, List<Double>> latencies,
			Duration timeout) throws InterruptedException {
		Map<String, BooleanSupplier> pending = new LinkedHashMap<>(done);
		long deadline = start + timeout.toNanos();
		while (!pending.isEmpty()) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Rotation not seen by " + pending.keySet() + " within " + timeout);
			}
			pending.entrySet().removeIf((entry) -> {
				if (entry.getValue().getAsBoolean()) {
					latencies.get(entry.getKey()).add((System.nanoTime() - start) / 1e6);
					return true;
				}
				return false;
			});
			Thread.sleep(1);
		}
	}

	/**
	 * Changes secret files the way one layout does.
	 */
	@FunctionalInterface
	interface SecretWriter {

		/**
		 * Write new values.
		 * @param values the new value of each file
		 * @return the {@code System.nanoTime()} at which the change starts to count
		 */
		long write(Map<String, String> values) throws Exception;

	}

	private static String randomValue() {
		byte[] bytes = new byte[24];
		random.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

}
