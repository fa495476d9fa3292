package dev.mountedsecrets.compat;

import dev.mountedsecrets.compat.app.CompatApplication;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Run in a forked JVM by {@link FileVariableCompatIT}: round-trips a value through Redis
 * with the password from the file named by {@code SPRING_DATA_REDIS_PASSWORD_FILE}.
 */
public final class FileVariableMain {

	private FileVariableMain() {
	}

	public static void main(String[] args) {
		try (ConfigurableApplicationContext context = new SpringApplication(CompatApplication.class).run(args)) {
			StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
			template.opsForValue().set("forked", "from-file-variable");
			System.out.println("ROUND-TRIP " + template.opsForValue().get("forked"));
		}
	}

}
