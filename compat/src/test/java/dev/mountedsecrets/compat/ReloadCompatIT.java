package dev.mountedsecrets.compat;

import java.nio.file.Path;
import java.time.Duration;

import dev.mountedsecrets.RedisTestServer;
import dev.mountedsecrets.SecretFiles;
import dev.mountedsecrets.reload.SecretsReloader;
import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Rotation without restart on a real Redis of its own: the server's password changes, the
 * file follows, and Lettuce logs in again with the new password; a bad new value is refused
 * and the last good one stays.
 */
@ExtendWith(OutputCaptureExtension.class)
class ReloadCompatIT {

	private static final String FIRST = "Compat-Rotate-First-8e21c4";

	private static final String SECOND = "Compat-Rotate-Second-3f7a90";

	@TempDir
	Path secrets;

	private RedisTestServer redis;

	private RedisClient adminClient;

	private StatefulRedisConnection<String, String> admin;

	@BeforeEach
	void startRedis() throws Exception {
		this.redis = RedisTestServer.start(FIRST);
		this.adminClient = RedisClient.create(RedisURI.builder()
			.withHost("127.0.0.1")
			.withPort(this.redis.port())
			.withPassword(FIRST.toCharArray())
			.build());
		this.admin = this.adminClient.connect();
	}

	@AfterEach
	void stopRedis() throws Exception {
		this.admin.close();
		this.adminClient.shutdown();
		this.redis.close();
	}

	@Test
	void rotateWhenServerAndFileChangeReconnectsWithNewPassword(CapturedOutput output) {
		SecretFiles.write(this.secrets, "redis_password", FIRST);
		try (ConfigurableApplicationContext context = run()) {
			StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
			template.opsForValue().set("before", "ok");
			this.admin.sync().configSet("requirepass", SECOND);
			SecretFiles.write(this.secrets, "redis_password", SECOND);
			SecretsReloader reloader = context.getBean(SecretsReloader.class);
			await().atMost(Duration.ofSeconds(20)).until(() -> reloader.rotations() == 1);
			// Drop the application's connections: the reconnect must log in with the new password.
			this.admin.sync().clientKill(KillArgs.Builder.typeNormal().skipme());
			template.opsForValue().set("after", "ok");
			assertThat(template.opsForValue().get("after")).isEqualTo("ok");
			assertThat(context.getEnvironment().getProperty("spring.data.redis.password")).isEqualTo(SECOND);
		}
		assertThat(output.getAll()).doesNotContain(FIRST).doesNotContain(SECOND);
	}

	@Test
	void rotateWhenNewValueInvalidKeepsLastGoodPassword() {
		SecretFiles.write(this.secrets, "redis_password", FIRST);
		try (ConfigurableApplicationContext context = run()) {
			SecretsReloader reloader = context.getBean(SecretsReloader.class);
			SecretFiles.write(this.secrets, "redis_password", "");
			await().atMost(Duration.ofSeconds(20)).until(() -> reloader.refusals() > 0);
			this.admin.sync().clientKill(KillArgs.Builder.typeNormal().skipme());
			StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
			template.opsForValue().set("still", "working");
			assertThat(template.opsForValue().get("still")).isEqualTo("working");
			assertThat(context.getEnvironment().getProperty("spring.data.redis.password")).isEqualTo(FIRST);
		}
	}

	private ConfigurableApplicationContext run() {
		return CompatApps.run(this.secrets, CompatApps.EXCLUDE_DATABASE, "--secrets.reload.enabled=true",
				"--secrets.reload.quiet-period=200ms", "--secrets.reload.poll-interval=100ms",
				"--spring.data.redis.host=127.0.0.1", "--spring.data.redis.port=" + this.redis.port(),
				"--spring.data.redis.timeout=10s");
	}

}
