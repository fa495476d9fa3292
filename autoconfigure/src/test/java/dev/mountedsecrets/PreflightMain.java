package dev.mountedsecrets;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Run in a forked JVM by {@link PreflightExitCodeTests}: an application with one bean that says
 * when it is created, so that a test can tell whether anything of the application ran.
 */
public final class PreflightMain {

	static final String BEAN_CREATED = "APPLICATION BEAN CREATED";

	private PreflightMain() {
	}

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(Application.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.run(args).close();
		System.out.println("APPLICATION STARTED AND CLOSED");
	}

	@Configuration(proxyBeanMethods = false)
	static class Application {

		@Bean
		Object announcer() {
			System.out.println(BEAN_CREATED);
			return new Object();
		}

	}

}
