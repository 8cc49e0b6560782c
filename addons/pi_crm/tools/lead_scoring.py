"""Lead and customer scoring: interaction points, total score, stars.

Pure Python: imports nothing from odoo, so the rule can be tested alone.

A score is the sum of the points of the customer's interactions plus the
points of the customer's group. Each interaction earns the points of its
channel (call, SMS, ...) and, once it is completed, the points of its result
("điểm kết quả"). Stars come from the minimum score managers set for 1, 2, 3,
4 and 5 stars; below the 1-star minimum a customer has no star.
"""

MAX_STARS = 5
# Selection values of the stars fields (crm.lead, res.partner)
STARS = [("0", "No star"), ("1", "1 star"), ("2", "2 stars"), ("3", "3 stars"), ("4", "4 stars"), ("5", "5 stars")]

# Error codes of ThresholdError (the models translate them)
TOO_MANY = "too_many"
NOT_INCREASING = "not_increasing"


class ThresholdError(ValueError):
    """Raised for a star threshold list that cannot be used.

    ``code`` is :data:`TOO_MANY` or :data:`NOT_INCREASING`; ``str(error)`` is an
    English message for logs, not for users.
    """

    def __init__(self, code, message):
        self.code = code
        super().__init__(message)


def interaction_points(channel_points, result_points, completed):
    """Points earned by one interaction.

    :param int channel_points: points of the interaction's channel
    :param int result_points: points of its result
    :param bool completed: result points only count for a completed interaction
    """
    return int(channel_points or 0) + (int(result_points or 0) if completed else 0)


def total_score(points, group_points=0):
    """Score of a customer: the sum of ``points`` plus ``group_points``."""
    return sum(int(value or 0) for value in points) + int(group_points or 0)


def check_thresholds(thresholds):
    """Validate the minimum scores of 1..n stars (n <= 5) and return them as ints.

    ``thresholds`` lists the minimum score for 1 star, 2 stars, ... in that
    order. Each must be strictly greater than the previous one.
    """
    values = [int(value) for value in thresholds]
    if len(values) > MAX_STARS:
        raise ThresholdError(TOO_MANY, f"At most {MAX_STARS} star levels, got {len(values)}.")
    for stars, (previous, current) in enumerate(zip(values, values[1:], strict=False), start=2):
        if current <= previous:
            raise ThresholdError(
                NOT_INCREASING,
                f"The minimum of {stars} stars ({current}) must be greater than the minimum of "
                f"{stars - 1} stars ({previous}).",
            )
    return values


def stars_for(score, thresholds):
    """Number of stars (0..5) for ``score`` given increasing ``thresholds``."""
    values = check_thresholds(thresholds)
    stars = 0
    for level, minimum in enumerate(values, start=1):
        if score >= minimum:
            stars = level
    return stars
