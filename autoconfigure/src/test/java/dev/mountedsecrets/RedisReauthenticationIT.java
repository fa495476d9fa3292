package dev.mountedsecrets;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.mountedsecrets.autoconfigure.MountedSecretsAutoConfiguration;
import dev.mountedsecrets.autoconfigure.MountedSecretsReloadAutoConfiguration;
import dev.mountedsecrets.reload.SecretsReloader;
import io.lettuce.core.AclSetuserArgs;
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
import static org.awaitility.Awaitility.await;

/**
 * The README's "live connections re-authenticate": the application's connection, already
 * logged in, sends {@code AUTH} with the new password after a rotation, without reconnecting.
 * The server is the witness: it accepts only the new password once the test has changed it,
 * its {@code CLIENT LIST} shows that same connection's last command was {@code AUTH}, and its
 * {@code ACL LOG} records no failed login (an {@code AUTH} with the old password would be one).
 * Redis keeps a connection logged in when its user's password changes, so without this
 * re-authentication nothing would fail and nothing would show it.
 */
@ExtendWith(OutputCaptureExtension.class)
class RedisReauthenticationIT {

	private static final String ADMIN = "Reauth-Admin-6f01c2d8";

	private static final String OLD = "Reauth-Old-93a7e10b";

	private static final String NEW = "Reauth-New-2c58d4fe";

	private static final String CLIENT_NAME = "reauth-app";

	@TempDir
	Path secrets;

	private RedisTestServer redis;

	private RedisClient adminClient;

	private RedisCommands<String, String> admin;

	@BeforeEach
	void startRedis() throws Exception {
		this.redis = RedisTestServer.start(ADMIN, "appuser", OLD);
		this.adminClient = RedisClient.create(RedisURI.builder()
			.withHost("127.0.0.1")
			.withPort(this.redis.port())
			.withPassword(ADMIN.toCharArray())
			.withTimeout(Duration.ofSeconds(30))
			.build());
		StatefulRedisConnection<String, String> connection = this.adminClient.connect();
		this.admin = connection.sync();
	}

	@AfterEach
	void stopRedis() throws Exception {
		this.adminClient.shutdown();
		this.redis.close();
	}

	@Test
	void rotateWhenConnectionLiveReauthenticatesItWithNewPassword(CapturedOutput output) throws Exception {
		SecretFiles.write(this.secrets, "redis_password", OLD);
		try (ConfigurableApplicationContext context = TestApplications
			.application(RedisReloadApplication.class, WebApplicationType.NONE, Map.of())
			.run("--secrets.dir=" + this.secrets, "--spring.data.redis.host=127.0.0.1",
					"--spring.data.redis.port=" + this.redis.port(), "--spring.data.redis.username=appuser",
					"--spring.data.redis.client-name=" + CLIENT_NAME, "--spring.data.redis.timeout=20s",
					"--secrets.reload.enabled=true", "--secrets.reload.quiet-period=200ms",
					"--secrets.reload.poll-interval=100ms", "--logging.level.root=TRACE")) {
			StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
			SecretsReloader reloader = context.getBean(SecretsReloader.class);
			template.opsForValue().set("before", "rotation");
			assertThat(template.opsForValue().get("before")).isEqualTo("rotation");
			String connectionId = appConnection().get("id");

			// The server now accepts only the new password; the logged-in connection stays logged in.
			this.admin.aclSetuser("appuser",
					AclSetuserArgs.Builder.on().resetpass().addPassword(NEW).allKeys().allChannels().allCommands());
			this.admin.aclLogReset();
			this.admin.configResetstat();
			assertThat(authCalls()).isZero();
			assertThat(appConnection().get("cmd")).isNotEqualTo("auth");
			assertThat(reloader.rotations()).isZero();

			SecretFiles.write(this.secrets, "redis_password", NEW);
			await().atMost(Duration.ofSeconds(20)).until(() -> reloader.rotations() == 1);
			await().atMost(Duration.ofSeconds(20)).until(() -> authCalls() >= 1);

			Map<String, String> after = appConnection();
			assertThat(after.get("id")).as("the same connection, not a reconnect").isEqualTo(connectionId);
			assertThat(after.get("cmd")).isEqualTo("auth");
			assertThat(after.get("user")).isEqualTo("appuser");
			assertThat(this.admin.aclLog()).as("failed logins seen by the server").isEmpty();
			assertThat(template.opsForValue().get("before")).isEqualTo("rotation");
			assertThat(appConnection().get("id")).isEqualTo(connectionId);
		}
		assertThat(output.getAll()).contains(" TRACE ").doesNotContain(OLD).doesNotContain(NEW).doesNotContain(ADMIN);
	}

	/** The application's connections as the server lists them: one, named by the test. */
	private Map<String, String> appConnection() {
		List<Map<String, String>> named = Arrays.stream(this.admin.clientList().split("\n"))
			.map(RedisReauthenticationIT::fields)
			.filter((client) -> CLIENT_NAME.equals(client.get("name")))
			.toList();
		assertThat(named).hasSize(1);
		return named.get(0);
	}

	private static Map<String, String> fields(String clientLine) {
		return Arrays.stream(clientLine.trim().split(" "))
			.map((field) -> field.split("=", 2))
			.filter((pair) -> pair.length == 2)
			.collect(java.util.stream.Collectors.toMap((pair) -> pair[0], (pair) -> pair[1], (a, b) -> a));
	}

	/** Calls of {@code AUTH} the server has served since its statistics were reset. */
	private long authCalls() {
		return Arrays.stream(this.admin.info("commandstats").split("\n"))
			.filter((line) -> line.startsWith("cmdstat_auth:"))
			.findFirst()
			.map((line) -> line.replaceAll("^cmdstat_auth:calls=(\\d+),.*$", "$1").trim())
			.flatMap((calls) -> Optional.of(Long.parseLong(calls)))
			.orElse(0L);
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ DataRedisAutoConfiguration.class, MountedSecretsAutoConfiguration.class,
			MountedSecretsReloadAutoConfiguration.class })
	static class RedisReloadApplication {

	}

}
