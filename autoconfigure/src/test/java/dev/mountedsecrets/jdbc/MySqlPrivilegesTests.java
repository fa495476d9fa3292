package dev.mountedsecrets.jdbc;

import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.mountedsecrets.jdbc.MySqlPrivileges.Grants;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How {@code SHOW GRANTS} lines of MariaDB and MySQL 8 are read and judged, including the
 * forms the MariaDB server of {@code MariaDbIT} does not print: MySQL's role and dynamic
 * privilege lines, {@code PROXY}, column privileges, quoted names that contain keywords. The
 * same rules against a real MariaDB: {@code MariaDbIT}.
 */
class MySqlPrivilegesTests {

	private static final String ACCOUNT = "'app_user'@'%'";

	@Test
	void readWhenOnlyRightsOnRowsOfTheSchemaIsUnprivileged() {
		Grants grants = Grants.read(List.of("GRANT USAGE ON *.* TO `app_user`@`%` IDENTIFIED BY PASSWORD '*A1B2C3'",
				"GRANT SELECT, INSERT, UPDATE, DELETE, EXECUTE ON `app`.* TO `app_user`@`%`"));
		assertThat(grants.violations()).isEmpty();
		assertThat(grants.revocations(ACCOUNT)).isEmpty();
	}

	@Test
	void readWhenColumnPrivilegesOnATableIsUnprivileged() {
		Grants grants = Grants
			.read(List.of("GRANT SELECT (`id`, `body`), UPDATE (`body`) ON `app`.`notes` TO `app_user`@`%`"));
		assertThat(grants.privileges()).isEqualTo(Map.of("`app`.`notes`", Set.of("SELECT", "UPDATE")));
		assertThat(grants.violations()).isEmpty();
	}

	@Test
	void readWhenMySqlDynamicPrivilegesOnServerRefusesEach() {
		Grants grants = Grants.read(List.of("GRANT BACKUP_ADMIN,BINLOG_ADMIN ON *.* TO `app_user`@`%`"));
		assertThat(grants.violations()).containsExactly("holds BACKUP_ADMIN, BINLOG_ADMIN on *.* (the whole server)");
		assertThat(grants.revocations(ACCOUNT))
			.containsExactly("REVOKE BACKUP_ADMIN, BINLOG_ADMIN ON *.* FROM 'app_user'@'%';");
	}

	@Test
	void readWhenGrantOptionOnATableRefusesIt() {
		Grants grants = Grants.read(List.of("GRANT SELECT ON `app`.`notes` TO `app_user`@`%` WITH GRANT OPTION"));
		assertThat(grants.violations()).containsExactly("holds GRANT OPTION on `app`.`notes`");
	}

	@Test
	void readWhenProxyPrivilegeRefusesIt() {
		Grants grants = Grants.read(List.of("GRANT PROXY ON ``@`` TO `app_user`@`%`"));
		assertThat(grants.violations()).containsExactly("holds PROXY on ``@``");
	}

	@Test
	void readWhenRoutinePrivilegeToAlterRefusesIt() {
		Grants grants = Grants.read(List.of("GRANT EXECUTE, ALTER ROUTINE ON PROCEDURE `app`.`p` TO `app_user`@`%`"));
		assertThat(grants.violations()).containsExactly("holds ALTER ROUTINE on PROCEDURE `app`.`p`");
	}

	@Test
	void readWhenTableOfTheMysqlSchemaRefusesEvenARightOnRows() {
		Grants grants = Grants.read(List.of("GRANT INSERT ON `mysql`.`global_priv` TO `app_user`@`%`"));
		assertThat(grants.violations())
			.containsExactly("holds INSERT on `mysql`.`global_priv` (the server's accounts and grants)");
	}

	@Test
	void readWhenSchemaNameHoldsKeywordsReadsTheWholeName() {
		Grants grants = Grants.read(List.of("GRANT DROP ON `a ON b TO c`.* TO `app_user`@`%`"));
		assertThat(grants.violations()).containsExactly("holds DROP on `a ON b TO c`.*");
	}

	@Test
	void readWhenMySqlRoleLineListsEachRole() {
		Grants grants = Grants.read(List.of("GRANT `reader`@`%`,`ddl,role`@`%` TO `app_user`@`%`"));
		assertThat(grants.roles()).containsExactly("`reader`@`%`", "`ddl,role`@`%`");
		assertThat(grants.violations()).isEmpty();
	}

	@Test
	void readWhenMariaDbDefaultRoleLineNotesIt() {
		Grants grants = Grants.read(List.of("GRANT `ddl_role` TO `app_user`@`%`",
				"SET DEFAULT ROLE `ddl_role` FOR `app_user`@`%`"));
		assertThat(grants.roles()).containsExactly("`ddl_role`");
		assertThat(grants.defaultRoles()).containsExactly("`ddl_role`");
	}

	@Test
	void readWhenGrantLineUnreadableRefusesWithoutQuotingIt() {
		Grants grants = Grants.read(List.of("GRANT SELECT ON `app`.* IDENTIFIED BY PASSWORD '*D0D0D0'"));
		assertThat(grants.violations()).containsExactly("holds 1 grant(s) the check cannot read (see SHOW GRANTS)");
		assertThat(String.join(" ", grants.violations())).doesNotContain("D0D0D0");
	}

	@Test
	void withoutWhenMySqlUsingAddsARolesPrivilegesKeepsOnlyThose() {
		Grants own = Grants.read(List.of("GRANT SELECT, INSERT ON `app`.* TO `app_user`@`%`"));
		Grants using = Grants.read(List.of("GRANT SELECT, INSERT, DROP ON `app`.* TO `app_user`@`%`",
				"GRANT `ddl_role`@`%` TO `app_user`@`%`"));
		assertThat(using.without(own).violations()).containsExactly("holds DROP on `app`.*");
	}

}
