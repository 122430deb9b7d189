//! One feed per unit (issue 23): migration 0005 converts a centre that holds events of
//! the old single feed; a desk whose cursor is an old global number goes on pulling its
//! unit with nothing lost or duplicated; catalogue and calendar updates reach every
//! unit exactly once, a unit added later too; a unit's pull reads only its partition.

mod sync_support;

use std::collections::BTreeSet;

use motcua::centre::auth::AuthedDesk;
use motcua::centre::db;
use motcua::centre::feed;
use motcua::domain::event::Event;
use motcua::sync::protocol::{FeedBody, OutboxEvent};
use sync_support::*;
use uuid::Uuid;

const UNIT_C: &str = "H22.39.17";

fn authed(desk: &Desk) -> AuthedDesk {
    let id = desk.store().desk().expect("desk").desk_id;
    AuthedDesk {
        desk_id: Uuid::parse_str(&id).expect("uuid"),
        unit_code: desk.unit.to_string(),
        desk_index: desk.index,
    }
}

/// The desk's events as it would push them.
fn outbox(desk: &Desk) -> Vec<OutboxEvent> {
    desk.store()
        .outbox_after(0, 500)
        .expect("outbox")
        .into_iter()
        .map(|(seq, event)| OutboxEvent { seq, event })
        .collect()
}

/// What a push of schema v4 wrote: one global number per event.
async fn insert_v4(client: &deadpool_postgres::Client, desk: &AuthedDesk, items: &[OutboxEvent]) {
    for item in items {
        let e: &Event = &item.event;
        client
            .execute(
                "INSERT INTO event (id, unit_code, dossier_code, kind, at, origin, desk_id,
                                    desk_seq, body, feed_seq)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, nextval('feed_seq'))",
                &[
                    &e.id.0,
                    &e.dossier.unit().as_str(),
                    &e.dossier.to_string(),
                    &e.body.kind().as_str(),
                    &e.at.with_timezone(&chrono::Utc),
                    &e.origin,
                    &desk.desk_id,
                    &item.seq,
                    &serde_json::to_string(e).expect("json"),
                ],
            )
            .await
            .expect("v4 insert");
    }
}

async fn add_desk(client: &deadpool_postgres::Client, desk: &AuthedDesk) {
    client
        .execute(
            "INSERT INTO desk (desk_id, unit_code, desk_index, token_hash) VALUES ($1, $2, $3, $4)",
            &[
                &desk.desk_id,
                &desk.unit_code,
                &i16::from(desk.desk_index),
                &desk.desk_id.to_string(),
            ],
        )
        .await
        .expect("desk");
}

async fn publish(client: &deadpool_postgres::Client, kind: &str) -> i64 {
    client
        .query_one(
            "INSERT INTO official_update (feed_seq, kind, body) VALUES (nextval('feed_seq'), $1, '[]')
             RETURNING feed_seq",
            &[&kind],
        )
        .await
        .expect("official update")
        .get(0)
}

/// Everything the desk pulls after `after`, page by page: (event ids, official update
/// kinds, last cursor). Panics if the numbers do not increase.
async fn pull_all(
    client: &deadpool_postgres::Client,
    desk: &AuthedDesk,
    mut after: i64,
) -> (Vec<Uuid>, Vec<String>, i64) {
    let (mut events, mut updates) = (Vec::new(), Vec::new());
    loop {
        let (items, more) = feed::pull(client, desk, after, 3).await.expect("pull");
        for item in &items {
            assert!(item.seq > after, "feed numbers go forward");
            after = item.seq;
            match &item.body {
                FeedBody::Event { event } => events.push(event.id.0),
                FeedBody::Catalogue { .. } => updates.push("catalogue".to_string()),
                FeedBody::Calendar { .. } => updates.push("calendar".to_string()),
            }
        }
        if !more {
            return (events, updates, after);
        }
    }
}

fn ids(items: &[OutboxEvent]) -> Vec<Uuid> {
    items.iter().map(|i| i.event.id.0).collect()
}

#[test]
fn an_old_cursor_goes_on_in_its_unit_after_the_migration() {
    let a0 = Desk::new(UNIT_A, 0);
    let a1 = Desk::new(UNIT_A, 1);
    let b0 = Desk::new(UNIT_B, 0);
    a1.take_dossiers(4);
    b0.take_dossiers(3);
    let (da0, da1, db0) = (authed(&a0), authed(&a1), authed(&b0));
    let (a1_events, b0_events) = (outbox(&a1), outbox(&b0));
    assert_eq!(a1_events.len(), 4);
    let url = fresh_database();
    block_on(async {
        let pool = db::pool(&url, 2).expect("pool");
        assert_eq!(db::migrate_to(&pool, 4).await.expect("v4"), 4);
        let mut client = pool.get().await.expect("client");
        client
            .batch_execute(&format!(
                "INSERT INTO unit (code, name) VALUES ('{UNIT_A}', 'A'), ('{UNIT_B}', 'B')"
            ))
            .await
            .expect("units");
        for d in [&da0, &da1, &db0] {
            add_desk(&client, d).await;
        }
        // The old single feed: units interleaved, an update in the middle.
        insert_v4(&client, &da1, &a1_events[..2]).await;
        insert_v4(&client, &db0, &b0_events[..2]).await;
        let catalogue = publish(&client, "catalogue").await;
        insert_v4(&client, &da1, &a1_events[2..3]).await;
        // Desk a0 of the old version pulled up to the catalogue: its cursor.
        let old_cursor = catalogue;

        // To the latest (v5 and what came after it).
        assert!(db::migrate(&pool).await.expect("v5") >= 5);
        let held: i64 = client
            .query_one("SELECT count(*) FROM event", &[])
            .await
            .expect("count")
            .get(0);
        assert_eq!(held, 5, "the migration keeps every event");

        // After the migration: more of unit A, of unit B, and a calendar update.
        let pushed = feed::push(&mut client, &da1, &a1_events[3..])
            .await
            .expect("push");
        assert_eq!(pushed.acked, 4);
        feed::push(&mut client, &db0, &b0_events[2..])
            .await
            .expect("push B");
        publish(&client, "calendar").await;

        let (events, updates, _) = pull_all(&client, &da0, old_cursor).await;
        assert_eq!(
            events,
            ids(&a1_events[2..]),
            "the rest of unit A, once, in order"
        );
        assert_eq!(updates, ["calendar"], "only the update not pulled yet");

        // A desk starting from nothing gets the whole unit and both updates once.
        let (events, updates, _) = pull_all(&client, &da0, 0).await;
        assert_eq!(events, ids(&a1_events));
        assert_eq!(updates, ["catalogue", "calendar"]);
        let (events, _, _) = pull_all(&client, &db0, 0).await;
        assert!(events.is_empty(), "a desk is not sent its own events");

        // A unit added after both updates still receives each of them once.
        client
            .batch_execute(&format!(
                "INSERT INTO unit (code, name) VALUES ('{UNIT_C}', 'C')"
            ))
            .await
            .expect("unit C");
        let dc0 = AuthedDesk {
            desk_id: Uuid::now_v7(),
            unit_code: UNIT_C.to_string(),
            desk_index: 0,
        };
        add_desk(&client, &dc0).await;
        let (events, updates, cursor) = pull_all(&client, &dc0, 0).await;
        assert!(events.is_empty());
        assert_eq!(updates, ["catalogue", "calendar"]);
        publish(&client, "catalogue").await;
        let (_, updates, _) = pull_all(&client, &dc0, cursor).await;
        assert_eq!(
            updates,
            ["catalogue"],
            "a new update reaches the new unit once"
        );
    });
}

#[test]
fn a_units_pull_reads_only_its_own_partition() {
    let url = fresh_database();
    block_on(async {
        let pool = db::pool(&url, 2).expect("pool");
        db::migrate(&pool).await.expect("migrate");
        let client = pool.get().await.expect("client");
        let units: Vec<String> = (1..=40).map(|i| format!("H22.40.{i:02}")).collect();
        for u in &units {
            client
                .execute("INSERT INTO unit (code, name) VALUES ($1, 'thử')", &[u])
                .await
                .expect("unit");
            // One event per unit, written straight (the pull only reads the table).
            client
                .execute(
                    "INSERT INTO event (id, unit_code, dossier_code, kind, at, origin, body, feed_seq)
                     VALUES ($1, $2, $2 || '-x', 'received', now(), 'centre', '{}', 1)",
                    &[&Uuid::now_v7(), u],
                )
                .await
                .expect("event");
        }
        let unit = &units[7];
        let own: String = client
            .query_one(
                "SELECT tableoid::regclass::text FROM event WHERE unit_code = $1",
                &[unit],
            )
            .await
            .expect("partition")
            .get(0);
        let sql = format!("EXPLAIN (ANALYZE, COSTS OFF) {}", feed::PULL_SQL);
        let plan: Vec<String> = client
            .query(
                &sql,
                &[unit, &0i64, &"someone", &1000i64, &(1024i64 * 1024)],
            )
            .await
            .expect("explain")
            .iter()
            .map(|r| r.get(0))
            .collect();
        let touched: BTreeSet<String> = plan
            .iter()
            .flat_map(|l| l.split_whitespace())
            .filter(|w| {
                w.len() == 9
                    && w.starts_with("event_p")
                    && w[7..].chars().all(|c| c.is_ascii_digit())
            })
            .map(str::to_string)
            .collect();
        assert_eq!(
            touched,
            BTreeSet::from([own.clone()]),
            "the pull of {unit} reads {touched:?}, not only {own}:\n{}",
            plan.join("\n")
        );
    });
}
