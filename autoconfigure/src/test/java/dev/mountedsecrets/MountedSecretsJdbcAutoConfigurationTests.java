package dev.mountedsecrets;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.mountedsecrets.autoconfigure.MountedSecretsAutoConfiguration;
import dev.mountedsecrets.autoconfigure.MountedSecretsJdbcAutoConfiguration;
import dev.mountedsecrets.jdbc.DataSourceRoleCheck;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The least-privilege check is only for PostgreSQL: other databases are left alone, and no
 * connection is opened for them.
 */
class MountedSecretsJdbcAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(MountedSecretsAutoConfiguration.class, MountedSecretsJdbcAutoConfiguration.class));

	@Test
	void contextWhenDataSourceIsNotPostgresStartsWithoutConnecting() {
		this.runner.withUserConfiguration(MySqlDataSource.class).run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(DataSourceRoleCheck.class);
			assertThat(context.getBean(HikariDataSource.class).isRunning()).isFalse();
		});
	}

	@Test
	void contextWhenNoDataSourceHasNoCheck() {
		this.runner.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(DataSourceRoleCheck.class));
	}

	@Test
	void contextWhenJdbcAbsentHasNoCheck() {
		this.runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.jdbc"))
			.withUserConfiguration(MySqlDataSource.class)
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(DataSourceRoleCheck.class));
	}

	@Test
	void contextWhenSecretsDisabledHasNoCheck() {
		this.runner.withPropertyValues("secrets.enabled=false")
			.withUserConfiguration(MySqlDataSource.class)
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(DataSourceRoleCheck.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class MySqlDataSource {

		@Bean
		DataSource dataSource() {
			HikariDataSource dataSource = new HikariDataSource();
			dataSource.setJdbcUrl("jdbc:mysql://127.0.0.1:1/app");
			return dataSource;
		}

	}

}
