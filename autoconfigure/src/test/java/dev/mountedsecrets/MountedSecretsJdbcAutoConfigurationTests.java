package dev.mountedsecrets;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.mountedsecrets.autoconfigure.MountedSecretsAutoConfiguration;
import dev.mountedsecrets.autoconfigure.MountedSecretsJdbcAutoConfiguration;
import dev.mountedsecrets.jdbc.DataSourceRoleCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The least-privilege check is there whenever the application has one DataSource; on a
 * database whose privileges it cannot read (H2 here, in memory) it says so once and the
 * application starts.
 */
@ExtendWith(OutputCaptureExtension.class)
class MountedSecretsJdbcAutoConfigurationTests {

	private static final String NOT_APPLIED = "secrets.datasource.least-privilege does not apply to";

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(MountedSecretsAutoConfiguration.class, MountedSecretsJdbcAutoConfiguration.class));

	@Test
	void contextWhenDatabaseIsH2StartsAndSaysOnceTheCheckDoesNotApply(CapturedOutput output) {
		this.runner.withUserConfiguration(H2DataSource.class).run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(DataSourceRoleCheck.class);
			assertThat(context.getBean(JdbcTemplate.class).queryForObject("SELECT 1", Integer.class)).isEqualTo(1);
		});
		assertThat(output.getOut().split(NOT_APPLIED, -1)).hasSize(2);
		assertThat(output).contains("INFO")
			.contains(NOT_APPLIED + " H2: the starter reads the privileges of PostgreSQL, MariaDB and MySQL logins"
					+ " only");
	}

	@Test
	void contextWhenLeastPrivilegeOffSaysNothingOfH2(CapturedOutput output) {
		this.runner.withUserConfiguration(H2DataSource.class)
			.withPropertyValues("secrets.datasource.least-privilege=off")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).doesNotContain(NOT_APPLIED);
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
	static class H2DataSource {

		@Bean
		DataSource dataSource() {
			HikariDataSource dataSource = new HikariDataSource();
			dataSource.setJdbcUrl("jdbc:h2:mem:least-privilege-" + System.nanoTime());
			dataSource.setUsername("sa");
			return dataSource;
		}

		@Bean
		JdbcTemplate jdbcTemplate(DataSource dataSource) {
			return new JdbcTemplate(dataSource);
		}

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
