package dev.mountedsecrets;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import dev.mountedsecrets.autoconfigure.MountedSecretsAutoConfiguration;
import dev.mountedsecrets.autoconfigure.MountedSecretsReloadAutoConfiguration;
import dev.mountedsecrets.reload.SecretsReloader;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * Rotating the Redis password on a real server under load: {@code CONFIG SET requirepass}
 * (or {@code ACL SETUSER}) first, then the file (or a Kubernetes volume's {@code ..data} swap),
 * twice. No command fails, the old password is
 * refused by the server afterwards, a forced reconnect logs in with the new one, and a bad new
 * file keeps the service on the last good password.
 */
@ExtendWith(OutputCaptureExtension.class)
class RedisRotationIT {

	private static final List<String> DEFAULT = List.of("Rot-Redis-First-41c9e0", "Rot-Redis-Second-a57d13",
			"Rot-Redis-Third-0fe8b2");

	private static final List<String> ACL = List.of("Rot-Acl-First-93b1d7", "Rot-Acl-Second-26ea40",
			"Rot-Acl-Third-c1075f");

	@TempDir
	Path secrets;

	private RedisTestServer redis;

	private RedisClient adminClient;

	private StatefulRedisConnection<String, String> admin;

	@BeforeEach
	void startRedis() throws Exception {
		this.redis = RedisTestServer.start(DEFAULT.get(0), "appuser", ACL.get(0));
		this.adminClient = RedisClient.create(uri(null, DEFAULT.get(0)));
		this.admin = this.adminClient.connect();
	}

	@AfterEach
	void stopRedis() throws Exception {
		this.admin.close();
		this.adminClient.shutdown();
		this.redis.close();
	}

	@Test
	void rotateRequirepassUnderLoadTwiceFailsNoCommand(CapturedOutput output) throws Exception {
		SecretFiles.write(this.secrets, "redis_password", DEFAULT.get(0));
		try (ConfigurableApplicationContext context = run()) {
			rotateTwice(context, DEFAULT, (next) -> this.admin.sync().configSet("requirepass", next), null);
		}
		assertThat(output.getAll()).contains(" TRACE ");
		assertNoSecretIn(output);
	}

	@Test
	void rotateAclUserUnderLoadTwiceFailsNoCommand(CapturedOutput output) throws Exception {
		SecretFiles.write(this.secrets, "redis_password", ACL.get(0));
		try (ConfigurableApplicationContext context = run("--spring.data.redis.username=appuser")) {
			rotateTwice(context, ACL, (next) -> this.admin.sync().aclSetuser("appuser",
					io.lettuce.core.AclSetuserArgs.Builder.on().resetpass().addPassword(next).allKeys().allChannels()
						.allCommands()),
					"appuser");
		}
		assertNoSecretIn(output);
	}

	@Test
	void rotateKubernetesVolumeUnderLoadTwiceFailsNoCommand(CapturedOutput output) throws Exception {
		KubernetesSecretVolume volume = new KubernetesSecretVolume(this.secrets);
		volume.write("redis_password", DEFAULT.get(0) + "\n");
		try (ConfigurableApplicationContext context = run()) {
			rotateTwice(context, DEFAULT, (next) -> this.admin.sync().configSet("requirepass", next), null,
					(next) -> volume.write("redis_password", next + "\n"));
		}
		assertNoSecretIn(output);
	}

	@Test
	void rotateToInvalidValueKeepsServingOnLastGoodPassword(CapturedOutput output) throws Exception {
		SecretFiles.write(this.secrets, "redis_password", DEFAULT.get(0));
		try (ConfigurableApplicationContext context = run()) {
			StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
			SecretsReloader reloader = context.getBean(SecretsReloader.class);
			assertThat(reloader.refusals()).isZero();
			SecretFiles.write(this.secrets, "redis_password", "");
			await().atMost(Duration.ofSeconds(10)).until(() -> reloader.refusals() == 1);
			this.admin.sync().clientKill(io.lettuce.core.KillArgs.Builder.typeNormal().skipme());
			template.opsForValue().set("still", "working");
			assertThat(template.opsForValue().get("still")).isEqualTo("working");
			assertThat(context.getEnvironment().getProperty("spring.data.redis.password")).isEqualTo(DEFAULT.get(0));
			assertThat(reloader.rotations()).isZero();
		}
		assertNoSecretIn(output);
	}

	private void rotateTwice(ConfigurableApplicationContext context, List<String> passwords, ServerChange change,
			String user) throws Exception {
		rotateTwice(context, passwords, change, user,
				(next) -> SecretFiles.write(this.secrets, "redis_password", next));
	}

	private void rotateTwice(ConfigurableApplicationContext context, List<String> passwords, ServerChange change,
			String user, ServerChange writeFile) throws Exception {
		StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
		SecretsReloader reloader = context.getBean(SecretsReloader.class);
		AtomicLong counter = new AtomicLong();
		try (Load load = Load.start(2, () -> {
			String key = "load:" + counter.incrementAndGet() % 100;
			template.opsForValue().set(key, "v");
			template.opsForValue().get(key);
		})) {
			await().atMost(Duration.ofSeconds(10)).until(() -> load.successes() > 50);
			for (int generation = 1; generation <= 2; generation++) {
				String next = passwords.get(generation);
				assertThat(reloader.rotations()).isEqualTo(generation - 1);
				change.apply(next);
				writeFile.apply(next);
				long expected = generation;
				await().atMost(Duration.ofSeconds(20)).until(() -> reloader.rotations() == expected);
				long before = load.successes();
				await().atMost(Duration.ofSeconds(20)).until(() -> load.successes() > before + 50);
				String previous = passwords.get(generation - 1);
				assertRefused(user, previous);
				tryLogin(user, next);
			}
			load.close();
			assertThat(load.failures()).isEmpty();
			assertThat(load.successes()).isGreaterThan(100);
		}
		// A forced reconnect (it drops in-flight commands, so not under load) logs in with the new password.
		this.admin.sync().clientKill(io.lettuce.core.KillArgs.Builder.typeNormal().skipme());
		template.opsForValue().set("after-reconnect", "ok");
		assertThat(template.opsForValue().get("after-reconnect")).isEqualTo("ok");
	}

	/**
	 * A login with a password is refused (WRONGPASS). A probe that fails otherwise (Lettuce's own
	 * handshake now and then fails with "RedisHandshakeHandler not registered" on a refused login)
	 * is made again; one that logs in fails the test at once.
	 */
	private void assertRefused(String user, String password) {
		Throwable failure = null;
		for (int attempt = 0; attempt < 5; attempt++) {
			failure = catchThrowable(() -> tryLogin(user, password));
			assertThat(failure).as("a login with a password no longer valid").isNotNull();
			if (org.assertj.core.util.Throwables.getStackTrace(failure).contains("WRONGPASS")) {
				return;
			}
		}
		assertThat(failure).hasStackTraceContaining("WRONGPASS");
	}

	private void tryLogin(String user, String password) {
		RedisClient client = RedisClient.create(uri(user, password));
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			RedisCommands<String, String> commands = connection.sync();
			assertThat(commands.ping()).isEqualTo("PONG");
		}
		finally {
			client.shutdown();
		}
	}

	private RedisURI uri(String user, String password) {
		RedisURI.Builder builder = RedisURI.builder().withHost("127.0.0.1").withPort(this.redis.port())
			.withTimeout(Duration.ofSeconds(30));
		return (user != null) ? builder.withAuthentication(user, password).build()
				: builder.withPassword(password.toCharArray()).build();
	}

	private ConfigurableApplicationContext run(String... args) {
		String[] all = new String[args.length + 8];
		all[0] = "--secrets.dir=" + this.secrets;
		all[1] = "--spring.data.redis.host=127.0.0.1";
		all[2] = "--spring.data.redis.port=" + this.redis.port();
		all[3] = "--spring.data.redis.timeout=5s";
		all[4] = "--secrets.reload.enabled=true";
		all[5] = "--secrets.reload.quiet-period=200ms";
		all[6] = "--secrets.reload.poll-interval=100ms";
		all[7] = "--logging.level.root=TRACE";
		System.arraycopy(args, 0, all, 8, args.length);
		return TestApplications.application(RedisReloadApplication.class, WebApplicationType.NONE, Map.of()).run(all);
	}

	private static void assertNoSecretIn(CapturedOutput output) {
		assertThat(output.getAll()).contains(" TRACE ");
		LeakForms.assertNoLeak("output", output.getAll(), DEFAULT);
		LeakForms.assertNoLeak("output", output.getAll(), ACL);
	}

	@FunctionalInterface
	interface ServerChange {

		void apply(String password) throws Exception;

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ DataRedisAutoConfiguration.class, MountedSecretsAutoConfiguration.class,
			MountedSecretsReloadAutoConfiguration.class })
	static class RedisReloadApplication {

	}

}
