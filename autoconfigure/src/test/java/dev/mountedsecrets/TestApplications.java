package dev.mountedsecrets;

import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Runs a bare {@link SpringApplication}, so that the post-processor registered in
 * {@code spring.factories} does its real work, with an OS environment chosen by the test.
 */
final class TestApplications {

	private TestApplications() {
	}

	static ConfigurableApplicationContext run(Map<String, String> osEnvironment, String... args) {
		return application(osEnvironment).run(args);
	}

	static ConfigurableApplicationContext run(String... args) {
		return run(Map.of(), args);
	}

	static SpringApplication application(Map<String, String> osEnvironment) {
		return application(Empty.class, WebApplicationType.NONE, osEnvironment);
	}

	static SpringApplication application(Class<?> configuration, WebApplicationType type,
			Map<String, String> osEnvironment) {
		SpringApplication application = new SpringApplication(configuration);
		application.setWebApplicationType(type);
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
					new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
							new HashMap<>(osEnvironment)));
		application.setEnvironment(environment);
		return application;
	}

	@Configuration(proxyBeanMethods = false)
	static class Empty {

	}

}
