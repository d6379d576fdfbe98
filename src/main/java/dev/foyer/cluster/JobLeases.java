package dev.foyer.cluster;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Lets a scheduled job run on one node per interval, however many nodes run the schedule: a node claims the job's
 * lease row for the interval, and only where the last lease has run out. Every node keeps its schedule, so the
 * job carries on when the node that ran it last is gone.
 * <p>
 * A lease row rather than PostgreSQL's {@code pg_try_advisory_xact_lock}: an advisory lock only keeps two runs
 * apart while one holds it, but nodes run their schedules at different moments, so each would still run the job
 * once per interval. A lease also says when the job last ran, works on H2 (so one code path is tested everywhere)
 * and on distributed SQL engines, which lack advisory locks or implement them partly. Lease times come from the
 * nodes' clocks: keep them in sync (NTP); a node whose clock runs ahead by s may run a job s early.
 */
@Service
public class JobLeases {

	private static final Logger log = LoggerFactory.getLogger(JobLeases.class);

	private final JdbcClient jdbc;

	private final String node;

	JobLeases(JdbcClient jdbc, ClusterNode node) {
		this.jdbc = jdbc;
		this.node = node.id();
	}

	/**
	 * Claims {@code job} for {@code lease} if no node holds it: true means this node should run the job now. Call it
	 * outside a transaction, so that other nodes see the claim at once.
	 */
	public boolean tryClaim(String job, Duration lease) {
		Instant now = Instant.now();
		Timestamp until = Timestamp.from(now.plus(lease));
		try {
			// Under concurrent claims the database lets one update win; the others re-check lease_until and match no row.
			int claimed = this.jdbc.sql("update job_lease set holder = ?, claimed_at = ?, lease_until = ? where job = ? and lease_until <= ?")
				.params(this.node, Timestamp.from(now), until, job, Timestamp.from(now))
				.update();
			if (claimed == 0) {
				// The job's first run anywhere; a node inserting the same row at the same moment makes this insert nothing.
				claimed = this.jdbc.sql("insert into job_lease (job, holder, claimed_at, lease_until) values (?, ?, ?, ?) on conflict do nothing")
					.params(job, this.node, Timestamp.from(now), until)
					.update();
			}
			return claimed == 1;
		}
		catch (ConcurrencyFailureException ex) {
			// A serialization failure on a distributed engine means another node claimed it meanwhile.
			log.debug("Could not claim job {}: {}", job, ex.getMessage());
			return false;
		}
	}

}
