package dev.mountedsecrets.jdbc;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which DataSource the role check asks, and what it does when PostgreSQL cannot be reached,
 * with the real PostgreSQL driver and Hikari pointed at a loopback port nothing listens on.
 * The verdict on a role that can be asked is in {@code RoleRulesTests} and, against a real
 * server, in {@code PostgresIT}.
 */
@ExtendWith(OutputCaptureExtension.class)
class DataSourceRoleCheckTests {

	private static final String UNREACHABLE = "jdbc:postgresql://127.0.0.1:1/app";

	private static final String NOT_CHECKED = "Could not check the privileges of the DataSource's login";

	private final DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();

	private final MockEnvironment environment = new MockEnvironment();

	private HikariDataSource pool;

	@AfterEach
	void closePool() {
		if (this.pool != null) {
			this.pool.close();
		}
	}

	@Test
	void postProcessWhenConnectionRefusedWarnsAndKeepsTheDataSource(CapturedOutput output) {
		PGSimpleDataSource dataSource = unreachable();
		register("dataSource", dataSource, false);
		assertThat(check().postProcessAfterInitialization(dataSource, "dataSource")).isSameAs(dataSource);
		assertThat(output).contains(NOT_CHECKED);
	}

	@Test
	void postProcessWhenCheckOffStillLogsInOnce(CapturedOutput output) {
		this.environment.setProperty("secrets.datasource.least-privilege", "off");
		PGSimpleDataSource dataSource = unreachable();
		register("dataSource", dataSource, false);
		check().postProcessAfterInitialization(dataSource, "dataSource");
		assertThat(output).contains(NOT_CHECKED);
	}

	@Test
	void postProcessWhenSecondDataSourceArrivesChecksOnlyTheFirst(CapturedOutput output) {
		PGSimpleDataSource dataSource = unreachable();
		register("dataSource", dataSource, false);
		DataSourceRoleCheck check = check();
		check.postProcessAfterInitialization(dataSource, "dataSource");
		int warnings = output.getOut().split(NOT_CHECKED, -1).length;
		check.postProcessAfterInitialization(dataSource, "dataSource");
		assertThat(output.getOut().split(NOT_CHECKED, -1)).hasSize(warnings);
	}

	@Test
	void postProcessWhenMySqlUnreachableWarnsAndKeepsTheDataSource(CapturedOutput output) {
		this.pool = hikari("jdbc:mysql://127.0.0.1:1/app");
		this.pool.setConnectionTimeout(1000);
		register("dataSource", this.pool, false);
		assertThat(check().postProcessAfterInitialization(this.pool, "dataSource")).isSameAs(this.pool);
		assertThat(this.pool.isClosed()).isFalse();
		assertThat(output).contains(NOT_CHECKED);
	}

	@Test
	void postProcessWhenBeanIsNotADataSourceReturnsItUntouched() {
		Object bean = new Object();
		assertThat(check().postProcessAfterInitialization(bean, "other")).isSameAs(bean);
	}

	@Test
	void postProcessWhenSeveralDataSourcesNoneNamedPrimaryDoesNotConnect() {
		this.pool = hikari(UNREACHABLE);
		register("dataSource", this.pool, false);
		register("reporting", unreachable(), false);
		check().postProcessAfterInitialization(this.pool, "dataSource");
		assertThat(this.pool.isRunning()).isFalse();
	}

	@Test
	void postProcessWhenSeveralDataSourcesChecksThePrimaryOnly(CapturedOutput output) {
		PGSimpleDataSource primary = unreachable();
		PGSimpleDataSource reporting = unreachable();
		register("dataSource", primary, true);
		register("reporting", reporting, false);
		DataSourceRoleCheck check = check();
		check.postProcessAfterInitialization(reporting, "reporting");
		assertThat(output).doesNotContain(NOT_CHECKED);
		check.postProcessAfterInitialization(primary, "dataSource");
		assertThat(output).contains(NOT_CHECKED);
	}

	@Test
	void postProcessWhenNoBeanFactoryDoesNotConnect() {
		this.pool = hikari(UNREACHABLE);
		DataSourceRoleCheck check = new DataSourceRoleCheck();
		check.setEnvironment(this.environment);
		check.postProcessAfterInitialization(this.pool, "dataSource");
		assertThat(this.pool.isRunning()).isFalse();
	}

	@Test
	void postProcessWhenNoEnvironmentDoesNotConnect() {
		this.pool = hikari(UNREACHABLE);
		register("dataSource", this.pool, false);
		DataSourceRoleCheck check = new DataSourceRoleCheck();
		check.setBeanFactory(this.beanFactory);
		check.postProcessAfterInitialization(this.pool, "dataSource");
		assertThat(this.pool.isRunning()).isFalse();
	}

	private DataSourceRoleCheck check() {
		DataSourceRoleCheck check = new DataSourceRoleCheck();
		check.setBeanFactory(this.beanFactory);
		check.setEnvironment(this.environment);
		return check;
	}

	private void register(String name, DataSource dataSource, boolean primary) {
		RootBeanDefinition definition = new RootBeanDefinition(DataSource.class, () -> dataSource);
		definition.setPrimary(primary);
		this.beanFactory.registerBeanDefinition(name, definition);
	}

	private static HikariDataSource hikari(String url) {
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(url);
		dataSource.setUsername("app_user");
		dataSource.setPassword("Unused-Password-1");
		return dataSource;
	}

	private static PGSimpleDataSource unreachable() {
		PGSimpleDataSource dataSource = new PGSimpleDataSource();
		dataSource.setUrl(UNREACHABLE);
		return dataSource;
	}

}
