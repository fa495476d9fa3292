package dev.mountedsecrets;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Run in a forked JVM by {@link UnprivilegedReadIT}: a bare application whose start-up reads
 * the secrets folder, then says it started.
 */
public final class StartMain {

	private StartMain() {
	}

	public static void main(String[] args) {
		System.out.println("USER " + System.getProperty("user.name"));
		SpringApplication application = new SpringApplication(TestApplications.Empty.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		try (ConfigurableApplicationContext context = application.run(args)) {
			boolean served = context.getEnvironment().getProperty("spring.datasource.password") != null;
			System.out.println("STARTED, spring.datasource.password served: " + served);
		}
	}

}
