// SPDX-License-Identifier: MIT
// The dataset browser's model from the GUI's side (issue 5, item 6): on a store of N attempts, how long from
// setStorePath / a filter / a search / a sort / fetchMore until the rows are on screen, how long until the
// count, how long the GUI thread was blocked by each call, and the longest gap of a 2 ms heartbeat timer over
// the whole run (the GUI thread's worst stall). Median and spread (min-max) of 7 runs, each with a fresh
// model (a fresh Store connection, as when the window opens).
//
//   dataset_browser_bench [N=100000] [--db PATH]
//
// Without --db the store is $TMPDIR/kf-browser-bench-<N>.db, filled on the first run through the Store API
// (about 2 ms per attempt: a few minutes for 100,000) and reused afterwards.
#include "dataset_fixture.h"
#include "widgets/dataset/attempt_list_model.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <vector>

using kf::dataset::AttemptFilter;
using kf::widgets::AttemptListModel;

namespace {

struct Heartbeat {
    QElapsedTimer clock;
    qint64 last = 0;
    qint64 worstGapMs = 0;
    QTimer timer;
    Heartbeat() {
        clock.start();
        timer.setInterval(2);
        QObject::connect(&timer, &QTimer::timeout, [this] {
            const qint64 now = clock.elapsed();
            worstGapMs = std::max(worstGapMs, now - last);
            last = now;
        });
        timer.start();
    }
};

struct Sample {
    double blockedMs = 0; // the call itself, on the GUI thread
    double rowsMs = 0;    // until the rows were applied
    double countMs = 0;   // until the count arrived (first pages only)
};

void waitFor(const std::function<bool()>& done) {
    while (!done()) {
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    }
}

// Starts `action` on a model that already shows `path` (unless fresh), and times it.
Sample measure(AttemptListModel& model, const std::function<void()>& action, bool firstPage) {
    int pages = 0;
    bool counted = false;
    const auto c1 = QObject::connect(&model, &AttemptListModel::pageLoaded, [&pages] { ++pages; });
    const auto c2 = QObject::connect(&model, &AttemptListModel::totalCountChanged,
                                     [&counted](qint64 n) { counted = counted || n >= 0; });
    QElapsedTimer t;
    t.start();
    action();
    Sample s;
    s.blockedMs = static_cast<double>(t.nsecsElapsed()) / 1e6;
    waitFor([&pages] { return pages > 0; });
    s.rowsMs = static_cast<double>(t.nsecsElapsed()) / 1e6;
    if (firstPage) {
        waitFor([&counted] { return counted; });
        s.countMs = static_cast<double>(t.nsecsElapsed()) / 1e6;
    }
    QObject::disconnect(c1);
    QObject::disconnect(c2);
    if (!model.errorString().isEmpty()) {
        std::fprintf(stderr, "query failed: %s\n", qPrintable(model.errorString()));
        std::exit(1);
    }
    return s;
}

void report(const char* name, std::vector<Sample> samples, bool withCount) {
    const auto stat = [&samples](double Sample::*field) {
        std::vector<double> v;
        for (const auto& s : samples) {
            v.push_back(s.*field);
        }
        std::sort(v.begin(), v.end());
        return std::array<double, 3>{v[v.size() / 2], v.front(), v.back()};
    };
    const auto rows = stat(&Sample::rowsMs);
    const auto blocked = stat(&Sample::blockedMs);
    std::printf("%-34s rows %8.1f ms (%.1f-%.1f)   GUI blocked %6.3f ms (max %.3f)", name, rows[0], rows[1],
                rows[2], blocked[0], blocked[2]);
    if (withCount) {
        const auto count = stat(&Sample::countMs);
        std::printf("   count %8.1f ms (%.1f-%.1f)", count[0], count[1], count[2]);
    }
    std::printf("\n");
}

} // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    int n = 100000;
    QString path;
    const QStringList args = app.arguments();
    for (int i = 1; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--db") && i + 1 < args.size()) {
            path = args[++i];
        } else {
            n = args[i].toInt();
        }
    }
    if (path.isEmpty()) {
        path = QDir::temp().filePath(QStringLiteral("kf-browser-bench-%1.db").arg(n));
    }
    {
        auto store = kf::dataset::Store::open(path.toStdString());
        const auto have = store.count(AttemptFilter{});
        if (have == 0) {
            std::printf("filling %s with %d attempts (once; reused by later runs)...\n", qPrintable(path), n);
            std::fflush(stdout);
            QElapsedTimer t;
            t.start();
            kf::widgets::testing::fillStore(store, n);
            std::printf("filled in %.1f s\n", static_cast<double>(t.elapsed()) / 1000.0);
        }
        std::printf("store %s: %lld attempts, %.1f MB\n", qPrintable(path),
                    static_cast<long long>(store.count({})),
                    static_cast<double>(QFileInfo(path).size()) / 1e6);
    }

    Heartbeat beat;
    constexpr int kRuns = 7;
    std::vector<Sample> open, spec, common, rare, sorted, more;
    for (int run = 0; run < kRuns; ++run) {
        auto model = std::make_unique<AttemptListModel>();
        open.push_back(measure(
            *model, [&] { model->setStorePath(path); }, true));
        AttemptFilter f;
        f.spec_id = "softmax-rows-f32";
        f.verdict = "pass";
        spec.push_back(measure(
            *model, [&] { model->setFilter(f); }, true));
        AttemptFilter s;
        s.search = "Bounds"; // in every attempt's reasoning
        common.push_back(measure(
            *model, [&] { model->setFilter(s); }, true));
        s.search = "marker_" + std::to_string(n / 2); // in one
        rare.push_back(measure(
            *model, [&] { model->setFilter(s); }, true));
        model->setFilter({});
        sorted.push_back(measure(
            *model, [&] { model->sort(AttemptListModel::SpeedupColumn, Qt::DescendingOrder); }, true));
        more.push_back(measure(
            *model, [&] { model->fetchMore({}); }, false));
        model->waitForIdle();
    }
    std::printf("median (min-max) of %d runs, page size %d:\n", kRuns, AttemptListModel().pageSize());
    report("open + first page", open, true);
    report("filter spec + verdict", spec, true);
    report("search, a word in every attempt", common, true);
    report("search, a word in one attempt", rare, true);
    report("sort by speedup (descending)", sorted, true);
    report("fetchMore (next page)", more, false);
    std::printf("GUI thread: longest heartbeat gap %lld ms over the run (timer every 2 ms)\n",
                static_cast<long long>(beat.worstGapMs));
    return 0;
}
