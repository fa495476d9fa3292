package dev.mountedsecrets.bench;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
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
import io.lettuce.core.api.sync.RedisCommands;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.mail.MailAuthenticationException;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * Figure 3: rotation latency on the sample over real servers, from writing the files to the
 * moment each server sees the application log in with the new password: the environment
 * serving it (the starter's own step), then PostgreSQL accepting a new pool connection
 * ({@code pg_stat_activity}), Redis serving the live connection's {@code AUTH}
 * ({@code INFO commandstats}, with no failed login in {@code ACL LOG}) and the SMTP server
 * accepting the next send. Each rotation changes the servers first, so the old password no
 * longer logs in; then the three files at once.
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
		for (String consumer : List.of("environment", "pool-value", "redis-value", "mail-value", "postgres-new-connection",
				"redis-auth", "smtp-send")) {
			latencies.put(consumer, new ArrayList<>());
		}
		try (ConfigurableApplicationContext context = sample.run("--secrets.reload.quiet-period=" + quietPeriod.toMillis() + "ms");
				Connection postgres = sample.services.postgres().login("postgres", sample.read("postgres_password"))) {
			Environment environment = context.getEnvironment();
			JavaMailSenderImpl mail = context.getBean(JavaMailSenderImpl.class);
			HikariDataSource pool = context.getBean(HikariDataSource.class);
			RotatingRedisCredentials redisCredentials = context.getBean(RotatingRedisCredentials.class);
			// The application's Redis connection is opened on first use: open it, so that the
			// rotation reaches a connection that is already logged in.
			context.getBean(StringRedisTemplate.class).hasKey("rotation-harness");
			RedisClient adminClient = RedisClient.create(RedisURI.builder()
				.withHost("127.0.0.1")
				.withPort(Integer.parseInt(environment.getProperty("spring.data.redis.port")))
				.withPassword(sample.read("redis_password").toCharArray())
				.build());
			try (StatefulRedisConnection<String, String> admin = adminClient.connect()) {
				RedisCommands<String, String> redis = admin.sync();
				for (int i = 0; i < rotations; i++) {
					String db = randomValue();
					String redisPassword = randomValue();
					String mailPassword = randomValue();
					sample.services.postgres().executeAsAdmin("ALTER ROLE app_user PASSWORD '" + db + "'");
					redis.configSet("requirepass", redisPassword);
					redis.configResetstat();
					redis.aclLogReset();
					sample.services.smtp().getUserManager().getUser("app").setPassword(mailPassword);
					Map<String, String> values = new LinkedHashMap<>();
					values.put("db_password_server", db);
					values.put("redis_password", redisPassword);
					values.put("email_password", mailPassword);
					Timestamp serverStart = serverNow(postgres);
					long start = writer.write(values);
					Map<String, BooleanSupplier> done = new LinkedHashMap<>();
					done.put("environment", () -> db.equals(environment.getProperty("spring.datasource.password")));
					// What the goal counts: each consumer holds the new value.
					done.put("pool-value", () -> db.equals(pool.getPassword()));
					done.put("redis-value", () -> redisPassword
						.equals(new String(redisCredentials.resolveCredentials().block().getPassword())));
					done.put("mail-value", () -> mailPassword.equals(mail.getPassword()));
					// What a server sees: a login with the new password.
					done.put("postgres-new-connection", () -> newAppConnectionsSince(postgres, serverStart) > 0);
					done.put("redis-auth", () -> redisAuthenticated(redis));
					done.put("smtp-send", () -> sends(mail));
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

	private static Timestamp serverNow(Connection postgres) throws SQLException {
		try (Statement statement = postgres.createStatement();
				ResultSet result = statement.executeQuery("SELECT clock_timestamp()")) {
			result.next();
			return result.getTimestamp(1);
		}
	}

	/** Connections of {@code app_user} opened since the server stopped accepting the old password. */
	private static int newAppConnectionsSince(Connection postgres, Timestamp since) {
		try (PreparedStatement statement = postgres.prepareStatement(
				"SELECT count(*) FROM pg_stat_activity WHERE usename = 'app_user' AND backend_start > ?")) {
			statement.setTimestamp(1, since);
			try (ResultSet result = statement.executeQuery()) {
				result.next();
				return result.getInt(1);
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Whether the server has served an {@code AUTH} since its statistics were reset, with no
	 * failed login: only the new password is accepted, so the application logged in with it.
	 */
	private static boolean redisAuthenticated(RedisCommands<String, String> redis) {
		if (!redis.aclLog().isEmpty()) {
			throw new IllegalStateException("Redis refused a login after the rotation");
		}
		return redis.info("commandstats").lines().anyMatch((line) -> line.startsWith("cmdstat_auth:"));
	}

	/** Whether the application's next send logs in: the SMTP server accepts only the new password. */
	private static boolean sends(JavaMailSenderImpl mail) {
		SimpleMailMessage message = new SimpleMailMessage();
		message.setFrom("app@sample.test");
		message.setTo("ops@sample.test");
		message.setSubject("rotation");
		message.setText("rotation latency");
		try {
			mail.send(message);
			return true;
		}
		catch (MailAuthenticationException ex) {
			return false;
		}
	}

	/**
	 * Wait for each consumer on its own thread, so that a slow probe (an SMTP send that is
	 * refused takes a round trip) does not delay when a faster one is seen.
	 */
	private static void awaitEach(Map<String, BooleanSupplier> done, long start, Map<String, List<Double>> latencies,
			Duration timeout) throws InterruptedException {
		long deadline = start + timeout.toNanos();
		Map<String, Thread> probes = new LinkedHashMap<>();
		Map<String, Throwable> failures = new java.util.concurrent.ConcurrentHashMap<>();
		Map<String, Double> seen = new java.util.concurrent.ConcurrentHashMap<>();
		done.forEach((consumer, probe) -> probes.put(consumer, new Thread(() -> {
			try {
				while (!probe.getAsBoolean()) {
					if (System.nanoTime() > deadline) {
						throw new IllegalStateException("Rotation not seen by " + consumer + " within " + timeout);
					}
					Thread.sleep(1);
				}
				seen.put(consumer, (System.nanoTime() - start) / 1e6);
			}
			catch (Throwable ex) {
				failures.put(consumer, ex);
			}
		}, "probe-" + consumer)));
		probes.values().forEach(Thread::start);
		for (Thread probe : probes.values()) {
			probe.join();
		}
		if (!failures.isEmpty()) {
			Map.Entry<String, Throwable> failure = failures.entrySet().iterator().next();
			throw new IllegalStateException("Probe " + failure.getKey() + " failed", failure.getValue());
		}
		seen.forEach((consumer, millis) -> latencies.get(consumer).add(millis));
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
