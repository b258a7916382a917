//! The admin API through the real server.

use crate::helpers::{data, spawn_app, TOKEN};
use onair::store::Store;
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn json_of(r: reqwest::Response) -> Value {
    r.json().await.expect("json body")
}

#[tokio::test]
async fn routes_are_absent_without_a_token() {
    let app = spawn_app(|_| {}).await;
    for path in ["/admin/sources", "/admin/stations", "/admin/events"] {
        let r = app
            .client
            .get(app.url(path))
            .bearer_auth(TOKEN)
            .send()
            .await
            .expect("get");
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let r = app
        .client
        .post(app.url("/admin/import"))
        .body("{}")
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    app.stop().await;
}

#[tokio::test]
async fn the_bearer_token_is_required() {
    let app = spawn_app(|s| s.admin_token = Some(TOKEN.into())).await;
    let url = app.url("/admin/stations");
    let missing = app.client.get(&url).send().await.expect("get");
    assert_eq!(missing.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(missing.headers()["www-authenticate"], "Bearer");
    assert_eq!(json_of(missing).await["error"], "unauthorized");
    for wrong in ["nope", &TOKEN[..TOKEN.len() - 1], &format!("{TOKEN}x")] {
        let r = app
            .client
            .get(&url)
            .bearer_auth(wrong)
            .send()
            .await
            .expect("get");
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "{wrong}");
    }
    let basic = app
        .client
        .get(&url)
        .basic_auth("admin", Some(TOKEN))
        .send()
        .await
        .expect("get");
    assert_eq!(basic.status(), StatusCode::UNAUTHORIZED);
    let ok = app
        .client
        .get(&url)
        .bearer_auth(TOKEN)
        .send()
        .await
        .expect("get");
    assert_eq!(ok.status(), StatusCode::OK);
    // Unknown admin paths are 404s, not 401s.
    let r = app
        .client
        .get(app.url("/admin/nothing"))
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    app.stop().await;
}

async fn upload(
    app: &crate::helpers::TestApp,
    query: &str,
    content_type: &str,
    body: Vec<u8>,
) -> reqwest::Response {
    app.client
        .post(app.url(&format!("/admin/import{query}")))
        .bearer_auth(TOKEN)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .expect("post")
}

#[tokio::test]
async fn uploads_import_and_replace_their_source() {
    // Larger than the /alexa body limit: admin uploads have their own.
    let app = spawn_app(|s| {
        s.admin_token = Some(TOKEN.into());
        s.body_limit_bytes = 1024;
    })
    .await;
    let guide = std::fs::read(data("guide.xml")).expect("read");
    assert!(guide.len() > 2048);
    let r = upload(&app, "", "application/xml", guide.clone()).await;
    assert_eq!(r.status(), StatusCode::OK);
    let body = json_of(r).await;
    assert_eq!(body["source"], "admin:xmltv");
    assert_eq!(body["added"], 10);
    assert_eq!(body["rejected"].as_array().map(Vec::len), Some(3));
    assert!(body["rejected"][0]["location"]
        .as_str()
        .unwrap_or_default()
        .contains("line"));

    // Content-Type names the format; ?source= names the source.
    let ics = std::fs::read(data("events.ics")).expect("read");
    let r = upload(
        &app,
        "?source=concerts&station=jazz.fr",
        "text/calendar; charset=utf-8",
        ics,
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(json_of(r).await["source"], "concerts");

    // The same source again without "Jazz Night": it goes, the calendar stays.
    let text = String::from_utf8(guide).expect("utf-8");
    let start = text
        .find("<programme start=\"2026102421\"")
        .expect("jazz night");
    let end = start + text[start..].find("</programme>").expect("end") + "</programme>".len();
    let smaller = format!("{}{}", &text[..start], &text[end..]);
    let r = upload(
        &app,
        "?format=xmltv",
        "application/octet-stream",
        smaller.into_bytes(),
    )
    .await;
    let body = json_of(r).await;
    assert_eq!(
        (body["removed"].as_u64(), body["unchanged"].as_u64()),
        (Some(1), Some(9))
    );
    assert!(app
        .store
        .event("villette-2026@concerts.example")
        .expect("read")
        .is_some());
    assert_eq!(
        app.store.source_counts("admin:xmltv").expect("counts"),
        (3, 6, 0)
    );

    // A dry run reports without writing.
    let pls = std::fs::read(data("stations.m3u")).expect("read");
    let r = upload(&app, "?dry_run=true", "audio/x-mpegurl", pls).await;
    let body = json_of(r).await;
    assert_eq!(body["dry_run"], true);
    assert_eq!(
        app.store.source_counts("admin:m3u").expect("counts"),
        (0, 0, 0)
    );
    app.stop().await;
}

#[tokio::test]
async fn oversized_uploads_are_413_and_change_nothing() {
    let app = spawn_app(|s| {
        s.admin_token = Some(TOKEN.into());
        s.admin_upload_limit_bytes = 2048;
    })
    .await;
    let guide = std::fs::read(data("guide.xml")).expect("read");
    let r = upload(&app, "", "application/xml", guide.clone()).await;
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(json_of(r).await["error"], "body_too_large");
    // Without a Content-Length (chunked), the limit is enforced while reading.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        guide.chunks(500).map(|c| Ok(c.to_vec())).collect();
    let r = app
        .client
        .post(app.url("/admin/import?format=xmltv"))
        .bearer_auth(TOKEN)
        .body(reqwest::Body::wrap_stream(futures::stream::iter(chunks)))
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(app.store.event_count().expect("count"), 0);
    app.stop().await;
}

#[tokio::test]
async fn malformed_uploads_are_422_and_change_nothing() {
    let app = spawn_app(|s| s.admin_token = Some(TOKEN.into())).await;
    let guide = std::fs::read(data("guide.xml")).expect("read");
    assert_eq!(
        upload(&app, "", "application/xml", guide.clone())
            .await
            .status(),
        StatusCode::OK
    );
    let before = app.store.event_count().expect("count");
    // Cut in the middle of a programme: the same source must keep its previous data.
    let truncated = guide[..guide.len() / 2].to_vec();
    let r = upload(&app, "?format=xmltv", "application/xml", truncated).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = json_of(r).await;
    assert_eq!(body["error"], "unprocessable");
    assert!(
        body["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("nothing was changed"),
        "{body}"
    );
    let r = upload(
        &app,
        "",
        "text/plain",
        b"hello, this is not a schedule".to_vec(),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(json_of(r).await["detail"]
        .as_str()
        .unwrap_or_default()
        .contains("unrecognised"));
    let r = upload(&app, "?format=csv", "text/plain", b"a,b".to_vec()).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.store.event_count().expect("count"), before);
    assert_eq!(
        app.store.source_counts("admin:xmltv").expect("counts"),
        (3, 7, 0)
    );
    app.stop().await;
}

#[tokio::test]
async fn events_and_stations_routes() {
    let app = spawn_app(|s| s.admin_token = Some(TOKEN.into())).await;
    upload(
        &app,
        "",
        "application/xml",
        std::fs::read(data("guide.xml")).expect("read"),
    )
    .await;
    let get = |path: &str| app.client.get(app.url(path)).bearer_auth(TOKEN).send();

    let r = get("/admin/events?from=2026-10-24T18:00:00Z&to=2026-10-25T06:00:00Z")
        .await
        .expect("get");
    let body = json_of(r).await;
    assert_eq!(body["events"].as_array().map(Vec::len), Some(7));
    assert_eq!(body["truncated"], false);
    let r = get(
        "/admin/events?from=2026-10-24T18:00:00Z&to=2026-10-25T06:00:00Z&station=nova.fr&limit=2",
    )
    .await
    .expect("get");
    let body = json_of(r).await;
    let titles: Vec<&str> = body["events"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|e| e["title"].as_str())
        .collect();
    assert_eq!(titles, vec!["Radiohead Live in Paris", "Night Shift"]);
    assert_eq!(body["truncated"], true);
    let r = get("/admin/events?from=yesterday").await.expect("get");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let del = |id: &str| {
        app.client
            .delete(app.url(&format!("/admin/events/{id}")))
            .bearer_auth(TOKEN)
            .send()
    };
    assert_eq!(
        del("jazz.fr-20261024T210000Z")
            .await
            .expect("delete")
            .status(),
        StatusCode::NO_CONTENT
    );
    assert!(app
        .store
        .event("jazz.fr-20261024T210000Z")
        .expect("read")
        .is_none());
    let again = del("jazz.fr-20261024T210000Z").await.expect("delete");
    assert_eq!(again.status(), StatusCode::NOT_FOUND);
    assert_eq!(json_of(again).await["error"], "not_found");

    let stations = json_of(get("/admin/stations").await.expect("get")).await;
    assert_eq!(stations["stations"].as_array().map(Vec::len), Some(3));
    let put = |id: &str, body: Value| {
        app.client
            .put(app.url(&format!("/admin/stations/{id}")))
            .bearer_auth(TOKEN)
            .json(&body)
            .send()
    };
    let r = put("silent.fr", json!({"name": "Silent Radio", "stream_url": "https://silent.example/live.mp3", "genres": ["Ambient"]})).await.expect("put");
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(json_of(r).await["genres"], json!(["ambient"]));
    let silent = app
        .store
        .station("silent.fr")
        .expect("read")
        .expect("station");
    assert_eq!(
        silent.stream_url.as_ref().map(|u| u.as_str()),
        Some("https://silent.example/live.mp3")
    );
    let r = put("silent.fr", json!({"id": "other", "name": "X"}))
        .await
        .expect("put");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = put("silent.fr", json!({"name": "X", "stream_url": "ftp://x/y"}))
        .await
        .expect("put");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = put("silent.fr", json!({"name": "X", "colour": "red"}))
        .await
        .expect("put");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(json_of(r).await["detail"]
        .as_str()
        .unwrap_or_default()
        .contains("colour"));
    app.stop().await;
}

#[tokio::test]
async fn sources_show_refresh_status_and_counts() {
    let guide = data("guide.xml");
    let configured = onair::config::SourceConfig {
        location: guide.display().to_string(),
        format: Some("xmltv".into()),
        station: None,
        refresh: "1h".into(),
    };
    let missing = onair::config::SourceConfig {
        location: "/nonexistent/feed.xml".into(),
        format: None,
        station: None,
        refresh: "1h".into(),
    };
    let sources = vec![configured.clone(), missing.clone()];
    let app = spawn_app(|s| {
        s.admin_token = Some(TOKEN.into());
        s.sources = sources.clone();
    })
    .await;
    let status = app.refresh.clone().expect("admin state");
    let stop = tokio_util::sync::CancellationToken::new();
    let store: std::sync::Arc<dyn Store> = app.store.clone();
    let task = onair::import::refresh::spawn_refresh(
        sources,
        onair::import::ImportOptions::default(),
        store,
        reqwest::Client::new(),
        status.clone(),
        stop.clone(),
    );
    for _ in 0..200 {
        let s = status.snapshot();
        if s.len() == 2
            && s.iter()
                .all(|x| x.last_success.is_some() || x.last_failure.is_some())
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let body = json_of(
        app.client
            .get(app.url("/admin/sources"))
            .bearer_auth(TOKEN)
            .send()
            .await
            .expect("get"),
    )
    .await;
    let list = body["sources"].as_array().expect("list");
    let ok = list
        .iter()
        .find(|s| s["location"] == configured.location.as_str())
        .expect("configured");
    assert_eq!(
        ok["counts"],
        json!({"stations": 3, "events": 7, "episodes": 0})
    );
    assert_eq!(ok["status"]["last_success"]["summary"]["added"], 10);
    assert_eq!(ok["status"]["last_success"]["rejected"], 3);
    let bad = list
        .iter()
        .find(|s| s["location"] == "/nonexistent/feed.xml")
        .expect("missing");
    assert!(bad["status"]["last_failure"]["error"]
        .as_str()
        .unwrap_or_default()
        .contains("nonexistent"));
    assert!(bad["status"]["last_success"].is_null());
    stop.cancel();
    tokio::time::timeout(std::time::Duration::from_secs(5), task)
        .await
        .expect("stops")
        .expect("join");
    app.stop().await;
}

#[tokio::test]
async fn uploads_list_the_fields_they_dropped() {
    let app = spawn_app(|s| s.admin_token = Some(TOKEN.into())).await;
    let list = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/corpus/iptv-hls.m3u"),
    )
    .expect("read");
    let r = upload(&app, "?source=iptv", "audio/x-mpegurl", list).await;
    assert_eq!(r.status(), StatusCode::OK);
    let body = json_of(r).await;
    assert_eq!(body["added"], 5);
    let warnings: Vec<String> = body["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .map(|w| format!("{} {}", w["location"], w["reason"]))
        .collect();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(warnings.iter().any(|w| w.contains("image dropped")));
    assert!(warnings.iter().any(|w| w.contains("request headers")));
    app.stop().await;
}
