package dev.mountedsecrets;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Run in a forked JVM by {@link FileVariableIT}, with the password only in the file named by
 * {@code SPRING_DATA_REDIS_PASSWORD_FILE}: round-trips a value through Redis and says so.
 */
public final class FileVariableRedisMain {

	private FileVariableRedisMain() {
	}

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(RedisIT.RedisApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		try (ConfigurableApplicationContext context = application.run(args)) {
			StringRedisTemplate template = context.getBean(StringRedisTemplate.class);
			template.opsForValue().set("forked", "from-file-variable");
			System.out.println("ROUND-TRIP " + template.opsForValue().get("forked"));
		}
	}

}
