// SPDX-License-Identifier: MIT
#include "widgets/roofline/chart_labels.h"

#include <QAbstractSeries>
#include <QBrush>
#include <QChart>
#include <QFont>
#include <QGraphicsSimpleTextItem>
#include <QtMath>

namespace kf::widgets {

ChartLabels::ChartLabels(QChart* chart)
    : QObject(chart)
    , m_chart(chart) {
    connect(chart, &QChart::plotAreaChanged, this, &ChartLabels::reposition);
}

void ChartLabels::add(const QString& text, QAbstractSeries* series, const QColor& color,
                      std::vector<Anchor> places) {
    auto* item = new QGraphicsSimpleTextItem(text, m_chart);
    item->setBrush(color);
    QFont f = item->font();
    f.setPointSizeF(f.pointSizeF() * 0.9);
    item->setFont(f);
    item->setZValue(20);
    m_labels.push_back({item, series, std::move(places)});
    reposition();
}

QStringList ChartLabels::texts() const {
    QStringList out;
    for (const auto& l : m_labels) {
        out << l.item->text();
    }
    return out;
}

QRectF ChartLabels::place(Label& l, const Anchor& a) {
    const QPointF p = m_chart->mapToPosition(a.at, l.series);
    const QRectF box = l.item->boundingRect();
    qreal angle = 0;
    if (a.alongTo) {
        const QPointF q = m_chart->mapToPosition(*a.alongTo, l.series);
        angle = qRadiansToDegrees(std::atan2(q.y() - p.y(), q.x() - p.x()));
    }
    const bool above = a.place == Place::AboveLeft || a.place == Place::AboveRight;
    const bool right = a.place == Place::AboveRight || a.place == Place::BelowRight;
    // The offset is in the text's own (turned) frame: above or below the line it labels, starting or ending
    // at the anchor.
    const qreal dx = right ? 4 : -box.width() - 4;
    const qreal dy = above ? -box.height() - 1 : 1;
    l.item->setTransform(QTransform().translate(p.x(), p.y()).rotate(angle).translate(dx, dy));
    l.item->setPos(0, 0);
    return l.item->transform().mapRect(box); // in the chart's coordinates, as the plot area
}

void ChartLabels::reposition() {
    const QRectF area = m_chart->plotArea().adjusted(-2, -2, 2, 2);
    std::vector<QRectF> taken;
    for (auto& l : m_labels) {
        if (l.places.empty()) {
            l.item->setVisible(false);
            continue;
        }
        std::optional<std::size_t> chosen;
        for (std::size_t i = 0; i < l.places.size() && !chosen; ++i) {
            const QRectF r = place(l, l.places[i]);
            bool clear = area.contains(r);
            for (const QRectF& t : taken) {
                clear = clear && !t.intersects(r);
            }
            if (clear) {
                chosen = i;
            }
        }
        const QRectF r = place(l, l.places[chosen.value_or(0)]);
        l.item->setVisible(area.isValid() && area.contains(r.center()));
        taken.push_back(r);
    }
}

} // namespace kf::widgets
