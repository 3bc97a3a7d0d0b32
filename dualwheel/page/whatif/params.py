"""What-if parameters: sliders (:class:`Param`), choices (:class:`Choice`), the grid of their
values (:func:`grid`) and the error a bad value raises (:class:`WhatIfInputError`)."""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets

from ...grading.scoring import parse_number


class WhatIfInputError(ValueError):
    """What-if parameter values that are out of range or not numbers: one sentence per field.

    ``problems`` lists every sentence (a reader who typed two bad values hears of both at once);
    ``str()`` joins them.
    """

    def __init__(self, *problems: str) -> None:
        super().__init__(" ".join(problems))
        self.problems = list(problems)


@dataclass(frozen=True, kw_only=True)
class Param:
    """One slider: a name (the model's keyword), a label, a range, a step and a unit.

    ``low`` and ``high`` are the values used for the PDF's low / high scenarios; they
    default to the ends of the range.
    """

    name: str
    label: str
    min: float
    max: float
    step: float
    default: float
    unit: str = ""
    low: float | None = None
    high: float | None = None
    fmt: str = "{:g}"

    def __post_init__(self) -> None:
        if not self.min < self.max:
            raise ValueError(f"{self.name}: min ({self.min}) must be below max ({self.max})")
        if self.step <= 0:
            raise ValueError(f"{self.name}: step must be positive")
        if not self.min <= self.default <= self.max:
            raise ValueError(f"{self.name}: default {self.default} is outside {self.min}..{self.max}")
        if not _on_grid(self.default, self.min, self.step):
            raise ValueError(f"{self.name}: default {self.default} is not on the slider's steps")

    @property
    def whole(self) -> bool:
        """True when the parameter only takes whole numbers: its format shows no decimals (a
        year as "FY{:.0f}"), so 2020.5 would be shown, and used, as something it is not."""
        return self.fmt.format(0.5) in (self.fmt.format(0), self.fmt.format(1))

    def text_for(self, value: float) -> str:
        """The value as an exact-value box shows it (and :meth:`parse` reads it back)."""
        return self.fmt.format(value)

    def nearest(self, value: float) -> float:
        """The slider step closest to ``value``."""
        return min(self.values, key=lambda v: abs(v - value))

    @property
    def values(self) -> list[float]:
        """The slider's grid, from min to max in steps."""
        n = int(round((self.max - self.min) / self.step))
        return [_tidy(self.min + i * self.step) for i in range(n + 1)]

    @property
    def scenario_low(self) -> float:
        return self.min if self.low is None else self.low

    @property
    def scenario_high(self) -> float:
        return self.max if self.high is None else self.high

    def label_for(self, value: float) -> str:
        return self.fmt.format(value) + (f" {self.unit}" if self.unit else "")

    def parse(self, raw: Any) -> float:
        """Turn user input into a number in range, or raise a :class:`WhatIfInputError`."""
        if isinstance(raw, str) and not raw.strip():
            raise WhatIfInputError(f"{self.label}: please type a number.")
        text = raw.strip() if isinstance(raw, str) else raw
        prefix = self.fmt.split("{", 1)[0]
        if isinstance(text, str) and prefix and text.lower().startswith(prefix.lower()):
            text = text[len(prefix) :]  # "FY2024" in a box labelled with FY years
        number = parse_number(text)
        if number is None:
            if not isinstance(raw, str | int | float) or isinstance(raw, bool):
                raise WhatIfInputError(f"{self.label}: expected a number, got {type(raw).__name__}.")
            raise WhatIfInputError(
                f"{self.label}: '{raw}' is not a number. Type a value such as "
                f"{self.fmt.format(self.default)}."
            )
        if not math.isfinite(number):
            raise WhatIfInputError(f"{self.label}: {raw!r} is not a finite number.")
        if self.whole and number != round(number):
            raise WhatIfInputError(
                f"{self.label}: '{raw}' is not a whole number. Type a value such as "
                f"{self.fmt.format(self.default)}."
            )
        if not self.min <= number <= self.max:
            raise WhatIfInputError(
                f"{self.label} must be between {self.label_for(self.min)} and "
                f"{self.label_for(self.max)}; you entered {self.fmt.format(number)}."
            )
        return number

    def control(self) -> widgets.SelectionSlider:
        """A slider over the grid; its ``index`` drives the precomputed frames."""
        return widgets.SelectionSlider(
            options=[(self.label_for(v), v) for v in self.values],
            value=self.default,
            description=self.label,
            continuous_update=True,
            style={"description_width": "12em"},
            layout=widgets.Layout(width="95%"),
        )


@dataclass(frozen=True, kw_only=True)
class Choice:
    """A categorical parameter (e.g. a reporting basis), shown as toggle buttons.

    ``options`` maps each value the model receives to the label the reader sees.
    """

    name: str
    label: str
    options: Mapping[str, str]
    default: str
    low: str | None = None
    high: str | None = None
    unit: str = ""

    def __post_init__(self) -> None:
        if self.default not in self.options:
            raise ValueError(f"{self.name}: default {self.default!r} is not one of {list(self.options)}")

    @property
    def values(self) -> list[str]:
        return list(self.options)

    @property
    def scenario_low(self) -> str:
        return self.default if self.low is None else self.low

    @property
    def scenario_high(self) -> str:
        return self.default if self.high is None else self.high

    def label_for(self, value: str) -> str:
        return self.options[value]

    def parse(self, raw: Any) -> str:
        """Accept an option's value or its label; anything else gets a sentence listing the options."""
        text = str(raw).strip()
        for value, label in self.options.items():
            if text in (value, label) or text.lower() == value.lower():
                return value
        choices = ", ".join(f"'{v}'" for v in self.options)
        raise WhatIfInputError(f"{self.label}: '{raw}' is not one of the options ({choices}).")

    def control(self) -> widgets.ToggleButtons:
        return widgets.ToggleButtons(
            options=[(lab, v) for v, lab in self.options.items()],
            value=self.default,
            description=self.label,
            style={"description_width": "initial", "button_width": "auto"},
        )


def _tidy(x: float) -> float:
    """Round away float noise so grid values print as typed (0.30000000000000004 -> 0.3)."""
    return float(round(x, 10))


def _on_grid(x: float, start: float, step: float) -> bool:
    k = (x - start) / step
    return abs(k - round(k)) < 1e-9




def grid(params: Sequence[Param | Choice]) -> list[dict[str, Any]]:
    """Every combination of slider values (the frames the static page carries)."""
    return [
        dict(zip((p.name for p in params), combo, strict=True))
        for combo in itertools.product(*(p.values for p in params))
    ]
