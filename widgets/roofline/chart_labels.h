// SPDX-License-Identifier: MIT
#pragma once

#include <QColor>
#include <QObject>
#include <QPointF>
#include <QRectF>
#include <QString>
#include <QStringList>
#include <optional>
#include <vector>

class QChart;
class QAbstractSeries;
class QGraphicsSimpleTextItem;

namespace kf::widgets {

// Text placed at data coordinates inside a chart (a roof's name at its end, a ridge point's intensity),
// moved whenever the plot area changes. Qt Charts' own point labels cannot be placed or rotated per point.
// A label may offer several places; it takes the first that stays inside the plot and clear of the labels
// placed before it (two roofs close together, FP16 and BF16, would otherwise print over each other).
class ChartLabels : public QObject {
    Q_OBJECT
public:
    enum class Place { AboveLeft, BelowLeft, AboveRight, BelowRight };
    // `at` in the data coordinates of the label's series. With `alongTo`, the text is turned to follow the
    // line from `at` to `alongTo` as it appears on screen (a bandwidth roof's slope).
    struct Anchor {
        QPointF at;
        Place place = Place::AboveLeft;
        std::optional<QPointF> alongTo;
    };

    explicit ChartLabels(QChart* chart);

    void add(const QString& text, QAbstractSeries* series, const QColor& color, std::vector<Anchor> places);
    QStringList texts() const;

public slots:
    void reposition();

private:
    struct Label {
        QGraphicsSimpleTextItem* item;
        QAbstractSeries* series;
        std::vector<Anchor> places;
    };
    // Where the label's text lands (in the chart's coordinates) at one of its places; sets its transform.
    QRectF place(Label& label, const Anchor& anchor);

    QChart* m_chart;
    std::vector<Label> m_labels;
};

} // namespace kf::widgets
