package dev.mountedsecrets.reload;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisCredentialsProvider;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConfiguration;
import org.springframework.data.redis.connection.lettuce.RedisCredentialsProviderFactory;

/**
 * Redis credentials that follow rotation: Lettuce asks for them on every (re)connect, and, as
 * a streaming provider, re-authenticates live connections when new ones are emitted.
 */
public class RotatingRedisCredentials
		implements RedisCredentialsProvider, RedisCredentialsProviderFactory, ApplicationListener<SecretsRotatedEvent>,
		Ordered {

	private static final Log logger = LogFactory.getLog(RotatingRedisCredentials.class);

	private final Environment environment;

	private final AtomicReference<RedisCredentials> current = new AtomicReference<>();

	private final Sinks.Many<RedisCredentials> updates = Sinks.many().replay().latest();

	public RotatingRedisCredentials(Environment environment) {
		this.environment = environment;
		RedisCredentials initial = read();
		this.current.set(initial);
		this.updates.tryEmitNext(initial);
	}

	@Override
	public RedisCredentialsProvider createCredentialsProvider(RedisConfiguration redisConfiguration) {
		return this;
	}

	@Override
	public Mono<RedisCredentials> resolveCredentials() {
		return Mono.fromSupplier(this.current::get);
	}

	@Override
	public boolean supportsStreaming() {
		return true;
	}

	@Override
	public Flux<RedisCredentials> credentials() {
		return this.updates.asFlux();
	}

	@Override
	public void onApplicationEvent(SecretsRotatedEvent event) {
		if (event.changed("spring.data.redis.")) {
			RotationHandOver.run("Redis", event, () -> {
				RedisCredentials rotated = read();
				this.current.set(rotated);
				this.updates.emitNext(rotated, Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1)));
			}, logger);
		}
	}

	@Override
	public int getOrder() {
		return RotationHandOver.ORDER;
	}

	private RedisCredentials read() {
		String password = this.environment.getProperty("spring.data.redis.password");
		return RedisCredentials.just(this.environment.getProperty("spring.data.redis.username"),
				(password != null) ? password.toCharArray() : null);
	}

	@Override
	public String toString() {
		return "RotatingRedisCredentials[user=" + this.current.get().getUsername() + "]";
	}

}
